# Writes OUT: a C++ file defining omen::stdlib::files() from the .omen FILES in DIR.
set(body "#include \"stdlib/stdlib.h\"\nnamespace omen::stdlib {\nconst std::vector<File>& files() {\n  static const std::vector<File> all = {\n")
string(REPLACE "," ";" FILES "${FILES}")
foreach(f ${FILES})
  file(READ ${DIR}/${f} text)
  string(APPEND body "    {\"<std>/${f}\", R\"OMEN_STD(${text})OMEN_STD\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n}  // namespace omen::stdlib\n")
file(WRITE ${OUT} "${body}")
