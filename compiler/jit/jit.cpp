// Tier 1: one ORC LLJIT per Jit. Rules are added to a bare JITDylib ("omen.rules") whose
// only link dependency is "omen.allow", a JITDylib of absolute symbols: the window
// kernels and the omen_rt_* functions. There is no process-symbol generator and no
// platform runtime, so a reference to anything else (printf, system, memset) fails to
// link and compile() returns an error.
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Triple.h>

#include "compiler/jit/codegen.h"
#include "compiler/jit/jit.h"
#include "compiler/jit/jit_testing.h"
#include "compiler/jit/plugin.h"

namespace omen::jit {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// LLVM's native target registration is process-global; do it once.
bool init_native_target(std::string* error) {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    ok = !llvm::InitializeNativeTarget() && !llvm::InitializeNativeTargetAsmPrinter();
  });
  if (!ok && error) *error = "LLVM has no native target for this host";
  return ok;
}

// Function names are unique per Jit (the JITDylib is flat); the rule name is only a hint
// for readers of dumps and profiles, so anything outside [A-Za-z0-9_] becomes '_'.
std::string function_name(const std::string& rule, uint64_t id) {
  std::string out = "omen_rule_";
  for (char c : rule.substr(0, 40)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += ok ? c : '_';
  }
  return out + "_" + std::to_string(id);
}

// The cache key of a program: everything code generation may read (the name aside), as
// raw bytes, so equal keys mean identical native code. A string, not a hash: no
// collision can ever hand a rule another rule's function.
std::string program_key(const ir::Program& p) {
  std::string k;
  k.reserve(16 + p.windows.size() * sizeof(kernels::WindowSpec) +
            p.code.size() * (sizeof(ir::Instr)) + p.outputs.size() * 4);
  auto put = [&k](const auto& v) {
    const char* b = reinterpret_cast<const char*>(&v);
    k.append(b, sizeof(v));
  };
  put(p.n_inputs);
  put(p.windows.size());
  for (const kernels::WindowSpec& w : p.windows) {
    put(w.kind);
    put(w.width_ms);
    put(w.param);
    for (double d : w.more) put(d);
  }
  put(p.code.size());
  for (const ir::Instr& in : p.code) {
    put(in.op);
    put(in.a);
    put(in.b);
    put(in.c);
    put(in.slot);
    put(in.imm);
  }
  put(p.outputs.size());
  for (uint32_t o : p.outputs) put(o);
  return k;
}

// Programs per LLVM module in compile_batch: bounded by instructions, so that a huge rule
// file does not build one enormous module (peak memory), while a module still carries
// enough rules to amortize its fixed cost.
constexpr size_t kModuleInstrs = 4096;

llvm::CodeGenOpt::Level codegen_level(int opt_level) {
  switch (opt_level) {
    case 0:
      return llvm::CodeGenOpt::None;
    case 1:
      return llvm::CodeGenOpt::Less;
    case 3:
      return llvm::CodeGenOpt::Aggressive;
    default:
      return llvm::CodeGenOpt::Default;
  }
}

// Target machines, shared out process-wide. A TargetMachine's first compilation sets up
// its subtarget (instruction and lowering tables), a fixed cost of ~2 ms that every Jit
// paid again for its first rule; and a TargetMachine is not thread-safe. So a Jit takes one
// from this pool when created, uses it alone (its compilations are serialized), and gives
// it back when destroyed: the next Jit (engine) gets a warm one. All have the same options
// but the code generation level, the pool's key.
class TargetMachinePool {
 public:
  static TargetMachinePool& get() {
    static auto* pool = new TargetMachinePool;  // never destroyed: Jits may outlive statics
    return *pool;
  }
  std::unique_ptr<llvm::TargetMachine> take(llvm::orc::JITTargetMachineBuilder& jtmb,
                                            llvm::CodeGenOpt::Level level, std::string* error) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& free = free_[level];
      if (!free.empty()) {
        auto tm = std::move(free.back());
        free.pop_back();
        return tm;
      }
    }
    auto tm = jtmb.createTargetMachine();
    if (!tm) {
      if (error) *error = llvm::toString(tm.takeError());
      return nullptr;
    }
    return std::move(*tm);
  }
  void give(std::unique_ptr<llvm::TargetMachine> tm) {
    if (!tm) return;
    std::lock_guard<std::mutex> lock(mu_);
    auto& free = free_[tm->getOptLevel()];
    if (free.size() < kMaxFree) free.push_back(std::move(tm));
  }

 private:
  static constexpr size_t kMaxFree = 8;
  std::mutex mu_;
  std::map<int, std::vector<std::unique_ptr<llvm::TargetMachine>>> free_;
};

class JitImpl final : public Jit {
 public:
  ~JitImpl() override {
    lljit_.reset();  // its compiler refers to tm_
    TargetMachinePool::get().give(std::move(tm_));
  }
  bool init(const JitOptions& options, const std::vector<RuntimeSymbol>& allowed,
            std::string* error);
  ir::BatchFn compile(const ir::Program& program, std::string* error, CompileStats* stats) override;
  std::vector<ir::BatchFn> compile_batch(const std::vector<const ir::Program*>& programs,
                                         std::vector<std::string>* errors,
                                         CompileStats* stats) override;
  std::string dump_llvm(const ir::Program& program, bool optimized) override;

  std::vector<std::string> allow_list() const { return allow_; }
  void* add_module(llvm::orc::JITDylib& jd, std::unique_ptr<llvm::Module> m,
                   std::unique_ptr<llvm::LLVMContext> ctx, const std::string& symbol,
                   std::string* error);
  /// add_module for several symbols: their addresses in order, or false and *error.
  bool add_module(llvm::orc::JITDylib& jd, std::unique_ptr<llvm::Module> m,
                  std::unique_ptr<llvm::LLVMContext> ctx, const std::vector<std::string>& symbols,
                  std::vector<void*>* addrs, std::string* error);
  /// Builds and optimizes the module of `program` (caller holds mu_); nullptr and *error
  /// on failure.
  std::unique_ptr<llvm::Module> lower(const ir::Program& program, const std::string& name,
                                      llvm::LLVMContext& ctx, CompileStats* stats,
                                      std::string* error);
  llvm::orc::JITDylib* make_test_dylib(const std::vector<std::pair<std::string, void*>>& symbols,
                                       std::string* error);
  llvm::orc::JITDylib& rules() { return *rules_; }
  std::string next_name(const std::string& rule) { return function_name(rule, next_id_++); }
  llvm::TargetMachine& target_machine() { return *tm_; }
  std::mutex& mutex() { return mu_; }

 private:
  std::string take_session_errors();
  /// Compiles validated, distinct, uncached programs into one module (caller holds mu_);
  /// fns[i] / errors[i] for programs[i]. If the module as a whole fails, each program is
  /// retried alone, so that one bad program cannot fail the others.
  void compile_module(const std::vector<const ir::Program*>& programs,
                      std::vector<ir::BatchFn>* fns, std::vector<std::string>* errors,
                      CompileStats* stats);

  std::mutex mu_;  // serializes compile() and dump_llvm()
  JitOptions options_;
  // Declared before lljit_: the session's error reporter uses them, possibly while the
  // LLJIT shuts down.
  std::mutex errors_mu_;
  std::string session_errors_;
  std::unique_ptr<llvm::orc::LLJIT> lljit_;
  llvm::orc::JITDylib* rules_ = nullptr;
  llvm::orc::JITDylib* allow_jd_ = nullptr;
  std::unique_ptr<llvm::TargetMachine> tm_;  // for the optimizer and dumps
  std::unique_ptr<llvm::TargetLibraryInfoImpl> tlii_;
  std::vector<std::string> allow_;
  uint64_t next_id_ = 0;
  std::unordered_map<std::string, ir::BatchFn> cache_;  // program_key -> function
};

bool JitImpl::init(const JitOptions& options, const std::vector<RuntimeSymbol>& allowed,
                   std::string* error) {
  options_ = options;
  if (options_.opt_level < 0) options_.opt_level = 0;
  if (options_.opt_level > 3) options_.opt_level = 3;
  if (!init_native_target(error)) return false;

  // The host (CPU name and features, read with cpuid) is detected once per process.
  static std::once_flag once;
  static std::optional<llvm::orc::JITTargetMachineBuilder> host;
  static std::string host_error;
  std::call_once(once, [] {
    auto detected = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (detected)
      host = std::move(*detected);
    else
      host_error = llvm::toString(detected.takeError());
  });
  if (!host) {
    if (error) *error = host_error;
    return false;
  }
  std::optional<llvm::orc::JITTargetMachineBuilder> jtmb = *host;
  llvm::CodeGenOpt::Level cg_level = codegen_level(options_.opt_level);
  jtmb->setCodeGenOptLevel(cg_level);
  // Bit-identical results with the interpreter: never fuse a multiply and an add, never
  // assume away NaNs, infinities or signed zeros.
  llvm::TargetOptions& to = jtmb->getOptions();
  to.AllowFPOpFusion = llvm::FPOpFusion::Strict;
  to.UnsafeFPMath = false;
  to.NoInfsFPMath = false;
  to.NoNaNsFPMath = false;
  to.NoSignedZerosFPMath = false;

  tm_ = TargetMachinePool::get().take(*jtmb, cg_level, error);
  if (!tm_) return false;
  tlii_ = std::make_unique<llvm::TargetLibraryInfoImpl>(tm_->getTargetTriple());
  tlii_->disableAllFunctions();

  // No compile threads: LLJIT compiles on the calling thread, with tm_ (the optimizer's
  // TargetMachine too): one TargetMachine per Jit, from the pool.
  llvm::TargetMachine* tm = tm_.get();
  auto lljit =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(std::move(*jtmb))
          .setCompileFunctionCreator(
              [tm](llvm::orc::JITTargetMachineBuilder)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                return std::make_unique<llvm::orc::SimpleCompiler>(*tm);
              })
          .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
          .setNumCompileThreads(0)
          .create();
  if (!lljit) {
    if (error) *error = llvm::toString(lljit.takeError());
    return false;
  }
  lljit_ = std::move(*lljit);
  llvm::orc::ExecutionSession& es = lljit_->getExecutionSession();
  es.setErrorReporter([this](llvm::Error e) {
    std::string msg = llvm::toString(std::move(e));
    std::lock_guard<std::mutex> lock(errors_mu_);
    if (session_errors_.size() < 4096)
      session_errors_ += (session_errors_.empty() ? "" : "; ") + msg;
  });

  // The allow-list: one absolute symbol per kernel push and read function and per omen_rt_*
  // function, at the addresses the host gave (runtime_symbols() of the host process).
  llvm::orc::SymbolMap symbols;
  for (const RuntimeSymbol& s : allowed) {
    symbols[lljit_->mangleAndIntern(s.name)] = llvm::JITEvaluatedSymbol::fromPointer(
        s.address, llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
    allow_.emplace_back(s.name);
  }

  llvm::orc::JITDylib& allow = es.createBareJITDylib("omen.allow");
  if (auto err = allow.define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
    if (error) *error = llvm::toString(std::move(err));
    return false;
  }
  allow_jd_ = &allow;
  rules_ = &es.createBareJITDylib("omen.rules");
  rules_->addToLinkOrder(allow);
  return true;
}

std::string JitImpl::take_session_errors() {
  std::lock_guard<std::mutex> lock(errors_mu_);
  std::string out;
  out.swap(session_errors_);
  return out;
}

// Adds one module (its own context) to `jd` and links it by looking up `symbol`. On
// failure the module's resources are removed again, so a failed rule leaves nothing
// behind. Caller holds mu_.
void* JitImpl::add_module(llvm::orc::JITDylib& jd, std::unique_ptr<llvm::Module> m,
                          std::unique_ptr<llvm::LLVMContext> ctx, const std::string& symbol,
                          std::string* error) {
  std::vector<void*> addrs;
  if (!add_module(jd, std::move(m), std::move(ctx), std::vector<std::string>{symbol}, &addrs,
                  error))
    return nullptr;
  return addrs[0];
}

// One lookup of all the module's symbols: the module is compiled and linked once.
bool JitImpl::add_module(llvm::orc::JITDylib& jd, std::unique_ptr<llvm::Module> m,
                         std::unique_ptr<llvm::LLVMContext> ctx,
                         const std::vector<std::string>& symbols, std::vector<void*>* addrs,
                         std::string* error) {
  take_session_errors();
  llvm::orc::ResourceTrackerSP rt = jd.createResourceTracker();
  llvm::orc::ThreadSafeModule tsm(std::move(m), std::move(ctx));
  auto fail = [&](llvm::Error err) {
    std::string msg = llvm::toString(std::move(err));
    std::string reported = take_session_errors();
    if (!reported.empty()) msg = reported + " (" + msg + ")";
    if (auto rm = rt->remove()) msg += "; " + llvm::toString(std::move(rm));
    if (error) *error = "JIT: " + msg;
    return false;
  };
  if (auto err = lljit_->addIRModule(rt, std::move(tsm))) return fail(std::move(err));
  llvm::orc::SymbolLookupSet lookup;
  std::vector<llvm::orc::SymbolStringPtr> names;
  for (const std::string& s : symbols) {
    names.push_back(lljit_->mangleAndIntern(s));
    lookup.add(names.back());
  }
  auto found = lljit_->getExecutionSession().lookup(llvm::orc::makeJITDylibSearchOrder(&jd),
                                                    std::move(lookup));
  if (!found) return fail(found.takeError());
  addrs->clear();
  for (const auto& n : names) {
    auto it = found->find(n);
    if (it == found->end())
      return fail(llvm::make_error<llvm::StringError>("symbol " + (*n).str() + " not found",
                                                      llvm::inconvertibleErrorCode()));
    addrs->push_back(reinterpret_cast<void*>(static_cast<uintptr_t>(it->second.getAddress())));
  }
  return true;
}

std::unique_ptr<llvm::Module> JitImpl::lower(const ir::Program& program, const std::string& name,
                                             llvm::LLVMContext& ctx, CompileStats* stats,
                                             std::string* error) {
  if (!validate(program, error)) return nullptr;
  auto t0 = Clock::now();
  std::unique_ptr<llvm::Module> m = build_module(program, name, ctx, *tm_);
  std::string verify;
  llvm::raw_string_ostream vos(verify);
  if (llvm::verifyModule(*m, &vos)) {
    if (error) *error = "JIT: generated invalid LLVM IR for '" + program.name + "': " + verify;
    return nullptr;
  }
  stats->build_ms = ms_since(t0);
  auto t1 = Clock::now();
  optimize_module(*m, *tm_, *tlii_, options_.opt_level);
  stats->optimize_ms = ms_since(t1);
  return m;
}

ir::BatchFn JitImpl::compile(const ir::Program& program, std::string* error, CompileStats* stats) {
  std::vector<std::string> errors;
  std::vector<ir::BatchFn> fns = compile_batch({&program}, &errors, stats);
  if (!fns[0] && error) *error = errors[0];
  return fns[0];
}

std::vector<ir::BatchFn> JitImpl::compile_batch(const std::vector<const ir::Program*>& programs,
                                                std::vector<std::string>* errors,
                                                CompileStats* stats) {
  std::lock_guard<std::mutex> lock(mu_);
  CompileStats st;
  const size_t n = programs.size();
  std::vector<ir::BatchFn> fns(n, nullptr);
  std::vector<std::string> errs(n);
  // Cache hits and duplicates within the batch first; what is left is compiled in modules
  // of at most kModuleInstrs instructions.
  std::vector<std::string> keys(n);
  std::vector<size_t> same_as(n, SIZE_MAX);  // a duplicate of an earlier program of the batch
  std::unordered_map<std::string, size_t> first;
  std::vector<size_t> todo;
  for (size_t i = 0; i < n; ++i) {
    const ir::Program& p = *programs[i];
    if (!validate(p, &errs[i])) continue;
    if (options_.cache) {
      keys[i] = program_key(p);
      if (auto it = cache_.find(keys[i]); it != cache_.end()) {
        fns[i] = it->second;
        ++st.cached;
        continue;
      }
      auto [it, fresh] = first.try_emplace(keys[i], i);
      if (!fresh) {
        same_as[i] = it->second;
        continue;
      }
    }
    todo.push_back(i);
  }
  for (size_t begin = 0; begin < todo.size();) {
    size_t end = begin, instrs = 0;
    while (end < todo.size() &&
           (end == begin || instrs + programs[todo[end]]->code.size() <= kModuleInstrs))
      instrs += programs[todo[end++]]->code.size();
    std::vector<const ir::Program*> part;
    for (size_t k = begin; k < end; ++k) part.push_back(programs[todo[k]]);
    std::vector<ir::BatchFn> part_fns;
    std::vector<std::string> part_errs;
    compile_module(part, &part_fns, &part_errs, &st);
    for (size_t k = begin; k < end; ++k) {
      size_t i = todo[k];
      fns[i] = part_fns[k - begin];
      errs[i] = std::move(part_errs[k - begin]);
      if (fns[i] && options_.cache) cache_.emplace(keys[i], fns[i]);
    }
    begin = end;
  }
  for (size_t i = 0; i < n; ++i) {
    if (same_as[i] == SIZE_MAX) continue;
    fns[i] = fns[same_as[i]];
    errs[i] = errs[same_as[i]];
    if (fns[i]) ++st.cached;
  }
  if (stats) *stats = st;
  if (errors) *errors = std::move(errs);
  return fns;
}

void JitImpl::compile_module(const std::vector<const ir::Program*>& programs,
                             std::vector<ir::BatchFn>* fns, std::vector<std::string>* errors,
                             CompileStats* stats) {
  const size_t n = programs.size();
  fns->assign(n, nullptr);
  errors->assign(n, std::string());
  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto t0 = Clock::now();
  std::vector<std::string> names;
  for (const ir::Program* p : programs) names.push_back(function_name(p->name, next_id_++));
  // After a failure of the module as a whole, the programs are compiled one by one, so
  // that only the culprit fails.
  auto one_by_one = [&] {
    for (size_t i = 0; i < n; ++i) {
      std::vector<ir::BatchFn> f;
      std::vector<std::string> e;
      compile_module({programs[i]}, &f, &e, stats);
      (*fns)[i] = f[0];
      (*errors)[i] = std::move(e[0]);
    }
  };
  std::unique_ptr<llvm::Module> m = new_module(names[0], *ctx, *tm_);
  for (size_t i = 0; i < n; ++i) add_function(*programs[i], names[i], *m);
  std::string verify;
  llvm::raw_string_ostream vos(verify);
  if (llvm::verifyModule(*m, &vos)) {
    if (n == 1)
      (*errors)[0] = "JIT: generated invalid LLVM IR for '" + programs[0]->name + "': " + verify;
    else
      one_by_one();
    return;
  }
  stats->build_ms += ms_since(t0);
  auto t1 = Clock::now();
  optimize_module(*m, *tm_, *tlii_, options_.opt_level);
  stats->optimize_ms += ms_since(t1);
  auto t2 = Clock::now();
  std::vector<void*> addrs;
  std::string error;
  bool ok = add_module(*rules_, std::move(m), std::move(ctx), names, &addrs, &error);
  stats->codegen_ms += ms_since(t2);
  ++stats->modules;
  if (ok) {
    for (size_t i = 0; i < n; ++i) (*fns)[i] = reinterpret_cast<ir::BatchFn>(addrs[i]);
    stats->compiled += n;
    return;
  }
  if (n == 1)
    (*errors)[0] = std::move(error);
  else
    one_by_one();
}

// A JITDylib for one test: `symbols` first, then the allow-list. omen.rules never sees
// these symbols.
llvm::orc::JITDylib* JitImpl::make_test_dylib(
    const std::vector<std::pair<std::string, void*>>& symbols, std::string* error) {
  llvm::orc::ExecutionSession& es = lljit_->getExecutionSession();
  llvm::orc::JITDylib& jd = es.createBareJITDylib("omen.test." + std::to_string(next_id_++));
  llvm::orc::SymbolMap map;
  for (const auto& [name, addr] : symbols)
    map[lljit_->mangleAndIntern(name)] = llvm::JITEvaluatedSymbol::fromPointer(
        addr, llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  if (auto err = jd.define(llvm::orc::absoluteSymbols(std::move(map)))) {
    if (error) *error = llvm::toString(std::move(err));
    return nullptr;
  }
  jd.addToLinkOrder(*allow_jd_);
  return &jd;
}

std::string JitImpl::dump_llvm(const ir::Program& program, bool optimized) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string error;
  if (!validate(program, &error)) return "; error: " + error + "\n";
  llvm::LLVMContext ctx;
  // Same naming scheme as compile(), without consuming an id.
  std::unique_ptr<llvm::Module> m =
      build_module(program, function_name(program.name, 0), ctx, *tm_);
  if (optimized) optimize_module(*m, *tm_, *tlii_, options_.opt_level);
  std::string out;
  llvm::raw_string_ostream os(out);
  m->print(os, nullptr);
  return out;
}

}  // namespace

Jit* create_with_symbols(const JitOptions& options, const RuntimeSymbol* symbols, size_t n,
                         std::string* error) {
  auto jit = std::make_unique<JitImpl>();
  if (!jit->init(options, std::vector<RuntimeSymbol>(symbols, symbols + n), error)) return nullptr;
  return jit.release();
}

std::unique_ptr<Jit> create_linked(const JitOptions& options, std::string* error) {
  std::vector<RuntimeSymbol> symbols = runtime_symbols();
  return std::unique_ptr<Jit>(create_with_symbols(options, symbols.data(), symbols.size(), error));
}

namespace testing {

std::vector<std::string> allow_list(Jit& jit) {
  return static_cast<JitImpl&>(jit).allow_list();
}

void* add_llvm_ir(Jit& jit, const std::string& llvm_ir, const std::string& symbol,
                  std::string* error) {
  auto& impl = static_cast<JitImpl&>(jit);
  std::lock_guard<std::mutex> lock(impl.mutex());
  auto ctx = std::make_unique<llvm::LLVMContext>();
  llvm::SMDiagnostic diag;
  std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(llvm_ir, diag, *ctx);
  if (!m) {
    if (error) *error = "parse error: " + diag.getMessage().str();
    return nullptr;
  }
  m->setTargetTriple(impl.target_machine().getTargetTriple().str());
  m->setDataLayout(impl.target_machine().createDataLayout());
  return impl.add_module(impl.rules(), std::move(m), std::move(ctx), symbol, error);
}

ir::BatchFn compile_with_symbols(Jit& jit, const ir::Program& program,
                                 const std::vector<std::pair<std::string, void*>>& symbols,
                                 std::string* error) {
  auto& impl = static_cast<JitImpl&>(jit);
  std::lock_guard<std::mutex> lock(impl.mutex());
  llvm::orc::JITDylib* jd = impl.make_test_dylib(symbols, error);
  if (!jd) return nullptr;
  std::string name = impl.next_name(program.name);
  auto ctx = std::make_unique<llvm::LLVMContext>();
  CompileStats stats;
  std::unique_ptr<llvm::Module> m = impl.lower(program, name, *ctx, &stats, error);
  if (!m) return nullptr;
  return reinterpret_cast<ir::BatchFn>(
      impl.add_module(*jd, std::move(m), std::move(ctx), name, error));
}

}  // namespace testing

}  // namespace omen::jit
