// Reading candidates out of a model's reply: structured JSON first, fenced ```omen blocks next.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omen/llm.h"

namespace omen::llm {

namespace {

using json = nlohmann::json;

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool starts_with_ci(const std::string& s, size_t pos, const std::string& word) {
  if (pos + word.size() > s.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[pos + i])) != word[i]) return false;
  return true;
}

// Whether only spaces or tabs precede `pos` on its line (models sometimes indent fences).
bool at_line_start(const std::string& s, size_t pos) {
  while (pos > 0 && (s[pos - 1] == ' ' || s[pos - 1] == '\t')) --pos;
  return pos == 0 || s[pos - 1] == '\n';
}

// Blocks fenced with ```LANG ... ``` (the fence at the start of a line). `unterminated` is set
// when a block never closes (a reply cut off by max_tokens).
std::vector<std::string> fenced_blocks(const std::string& text, const std::string& lang,
                                       bool* unterminated) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = text.find("```", pos)) != std::string::npos) {
    bool line_start = at_line_start(text, pos);
    size_t after = pos + 3;
    size_t eol = text.find('\n', after);
    // Only the language word (and spaces) may follow the opening fence.
    std::string info =
        trim(eol == std::string::npos ? text.substr(after) : text.substr(after, eol - after));
    if (!line_start || info.size() != lang.size() || !starts_with_ci(info, 0, lang)) {
      pos = after;
      continue;
    }
    if (eol == std::string::npos) {
      *unterminated = true;
      break;
    }
    size_t close = eol;
    while (true) {
      close = text.find("```", close);
      if (close == std::string::npos || at_line_start(text, close)) break;
      close += 3;
    }
    if (close == std::string::npos) {
      *unterminated = true;
      break;
    }
    out.push_back(text.substr(eol + 1, close - eol - 1));
    pos = close + 3;
  }
  return out;
}

const char* kFormatHint =
    "Reply with JSON {\"candidates\": [{\"source\": \"<complete Omen file>\", \"rationale\": "
    "\"<one sentence>\"}]}, or put each candidate in its own ```omen fenced block.";

}  // namespace

std::string candidates_schema() {
  json item = {{"type", "object"},
               {"properties",
                {{"source", {{"type", "string"}, {"description", "a complete Omen source file"}}},
                 {"rationale", {{"type", "string"}}}}},
               {"required", {"source", "rationale"}},
               {"additionalProperties", false}};
  json schema = {{"type", "object"},
                 {"properties", {{"candidates", {{"type", "array"}, {"items", item}}}}},
                 {"required", {"candidates"}},
                 {"additionalProperties", false}};
  return schema.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ParsedReply parse_reply(const std::string& content) {
  ParsedReply r;
  std::string text = trim(content);
  if (text.empty()) {
    r.error = std::string("The reply was empty. ") + kFormatHint;
    return r;
  }
  bool unterminated_json = false;
  std::vector<std::string> json_blocks = fenced_blocks(text, "json", &unterminated_json);
  std::string json_text = text.front() == '{' ? text : json_blocks.empty() ? "" : json_blocks[0];
  std::string json_error;
  if (!json_text.empty()) {
    try {
      json j = json::parse(json_text);
      const json* items = nullptr;
      json single = json::array();
      if (j.is_object() && j.contains("candidates") && j["candidates"].is_array()) {
        items = &j["candidates"];
      } else if (j.is_object() && j.contains("source")) {
        single.push_back(j);
        items = &single;
      } else {
        json_error = "it has no \"candidates\" array";
      }
      if (items) {
        size_t n = 0;
        for (const auto& it : *items) {
          ++n;
          if (!it.is_object() || !it.contains("source") || !it["source"].is_string() ||
              trim(it["source"].get<std::string>()).empty()) {
            json_error = fmt::format("candidate {} has no non-empty \"source\" string", n);
            break;
          }
          r.sources.push_back(it["source"].get<std::string>());
          r.rationales.push_back(it.contains("rationale") && it["rationale"].is_string()
                                     ? it["rationale"].get<std::string>()
                                     : "");
        }
        if (json_error.empty() && r.sources.empty()) json_error = "the candidates array is empty";
        if (json_error.empty()) {
          r.ok = true;
          r.from_json = true;
          return r;
        }
        r.sources.clear();
        r.rationales.clear();
      }
    } catch (const json::exception& e) {
      json_error = fmt::format("it is not valid JSON ({})", e.what());
    }
  }
  bool unterminated = false;
  std::vector<std::string> blocks = fenced_blocks(content, "omen", &unterminated);
  for (auto& b : blocks)
    if (!trim(b).empty()) {
      r.sources.push_back(b);
      r.rationales.push_back("");
    }
  if (!r.sources.empty()) {
    r.ok = true;
    return r;
  }
  if (!json_error.empty())
    r.error = fmt::format("The reply could not be used: {}, and it contains no ```omen block. {}",
                          json_error, kFormatHint);
  else if (unterminated)
    r.error = fmt::format(
        "The reply has an ```omen block that is never closed (was it cut off?). Keep the "
        "reply shorter. {}",
        kFormatHint);
  else
    r.error = fmt::format(
        "The reply contains no Omen code: no JSON candidates and no ```omen "
        "block. {}",
        kFormatHint);
  return r;
}

}  // namespace omen::llm
