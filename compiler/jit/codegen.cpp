// IR -> LLVM IR. One function per rule:
//
//   void f(const BatchArgs* args) {
//     for (row = 0; row < args->n; ++row) { <one straight-line block per row> }
//   }
//
// Every op of the table compiler/ir/ops.def has one emission below (Lowering::emit_op),
// with exactly the IEEE semantics of the table's expression, which the interpreter runs;
// nothing carries fast-math flags, so the optimizer may only apply value-preserving
// rewrites. The column, state and output base pointers are loaded once before the loop.
#include <cstddef>
#include <limits>
#include <optional>
#include <vector>

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "compiler/jit/codegen.h"

namespace omen::jit {

namespace {

using ir::Op;

// The layout of ir::BatchArgs the generated code assumes.
static_assert(offsetof(ir::BatchArgs, ts) == 0);
static_assert(offsetof(ir::BatchArgs, cols) == 8);
static_assert(offsetof(ir::BatchArgs, states) == 16);
static_assert(offsetof(ir::BatchArgs, outs) == 24);
static_assert(offsetof(ir::BatchArgs, n) == 32);
static_assert(sizeof(ir::BatchArgs) == 40);

enum ArgField : unsigned { kTs = 0, kCols = 1, kStates = 2, kOuts = 3, kN = 4 };

class Lowering {
 public:
  Lowering(const ir::Program& p, llvm::Module& m)
      : p_(p),
        m_(m),
        ctx_(m.getContext()),
        b_(ctx_),
        f64_(llvm::Type::getDoubleTy(ctx_)),
        i64_(llvm::Type::getInt64Ty(ctx_)),
        ptr_(llvm::PointerType::getUnqual(ctx_)) {}

  void run(const std::string& fn_name);

 private:
  llvm::Value* field(llvm::Value* args, ArgField f, llvm::Type* ty, const char* name);
  llvm::Value* load_ptr_at(llvm::Value* base, uint64_t i, const char* name);
  llvm::Value* b2d(llvm::Value* cond) { return b_.CreateUIToFP(cond, f64_); }
  llvm::Value* nonzero(llvm::Value* v) {  // C++ `v != 0.0`: true for NaN
    return b_.CreateFCmpUNE(v, llvm::ConstantFP::get(f64_, 0.0));
  }
  llvm::FunctionCallee rt_fn(const char* name, unsigned arity);
  llvm::FunctionCallee kernel_fn(kernels::WindowKind kind);
  llvm::FunctionCallee read_fn(kernels::WindowKind kind);
  llvm::Value* nan() {
    return llvm::ConstantFP::get(f64_, std::numeric_limits<double>::quiet_NaN());
  }
  llvm::Value* min_max(Op op, llvm::Value* a, llvm::Value* b);

  // The instruction being emitted, the values before it, the row index and its tick.
  struct Site {
    const ir::Instr& in;
    const std::vector<llvm::Value*>& v;
    llvm::Value* row;
    llvm::Value* t;
    llvm::Value* a() const { return v[in.a]; }
    llvm::Value* b() const { return v[in.b]; }
    llvm::Value* c() const { return v[in.c]; }
  };
  // One specialization per op of compiler/ir/ops.def (below); emit() dispatches to them.
  template <Op op>
  llvm::Value* emit_op(const Site& x);
  llvm::Value* emit(const ir::Instr& in, const std::vector<llvm::Value*>& v, llvm::Value* row,
                    llvm::Value* t);

  const ir::Program& p_;
  llvm::Module& m_;
  llvm::LLVMContext& ctx_;
  llvm::IRBuilder<> b_;
  llvm::Type* f64_;
  llvm::IntegerType* i64_;
  llvm::PointerType* ptr_;
  llvm::StructType* args_ty_ = nullptr;
  std::vector<llvm::Value*> col_base_, state_, out_base_;
};

llvm::Value* Lowering::field(llvm::Value* args, ArgField f, llvm::Type* ty, const char* name) {
  llvm::Value* addr = b_.CreateStructGEP(args_ty_, args, f);
  return b_.CreateAlignedLoad(ty, addr, llvm::Align(8), name);
}

llvm::Value* Lowering::load_ptr_at(llvm::Value* base, uint64_t i, const char* name) {
  llvm::Value* addr = b_.CreateConstInBoundsGEP1_64(ptr_, base, i);
  return b_.CreateAlignedLoad(ptr_, addr, llvm::Align(8), name);
}

// omen_rt_* are pure functions of their arguments. Their names are not library names,
// so LLVM never folds or rewrites them; the attributes only allow CSE and dead-call
// removal, which cannot change a result.
llvm::FunctionCallee Lowering::rt_fn(const char* name, unsigned arity) {
  std::vector<llvm::Type*> params(arity, f64_);
  auto callee = m_.getOrInsertFunction(name, llvm::FunctionType::get(f64_, params, false));
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    fn->setDoesNotAccessMemory();
    fn->setDoesNotThrow();
    fn->setWillReturn();
  }
  return callee;
}

// Kernels own heap state and may throw (allocation): no attributes, the calls stay in
// program order exactly as in the interpreter.
llvm::FunctionCallee Lowering::kernel_fn(kernels::WindowKind kind) {
  const char* symbol = kernels::kernel_info(kind).symbol;
  auto* fty = llvm::FunctionType::get(f64_, {ptr_, i64_, f64_}, false);
  return m_.getOrInsertFunction(symbol, fty);
}

// Reads only look at the state, but the pushes that change it are opaque calls: no
// attributes either, so a read stays between the pushes it sits between.
llvm::FunctionCallee Lowering::read_fn(kernels::WindowKind kind) {
  const char* symbol = kernels::kernel_info(kind).read_symbol;
  auto* fty = llvm::FunctionType::get(f64_, {ptr_, f64_}, false);
  return m_.getOrInsertFunction(symbol, fty);
}

template <Op>
constexpr bool kNoEmission = false;

// An op added to ops.def without an emission fails to compile here, at its case in emit().
template <Op op>
llvm::Value* Lowering::emit_op(const Site&) {
  static_assert(kNoEmission<op>, "an IR op of compiler/ir/ops.def has no LLVM emission");
  return nullptr;
}

// interp: isnan(a) || isnan(b) ? NaN : (b < a ? b : a)   (b > a for max)
llvm::Value* Lowering::min_max(Op op, llvm::Value* a, llvm::Value* b) {
  llvm::Value* take_b = op == Op::Min ? b_.CreateFCmpOLT(b, a) : b_.CreateFCmpOGT(b, a);
  llvm::Value* pick = b_.CreateSelect(take_b, b, a);
  return b_.CreateSelect(b_.CreateFCmpORD(a, b), pick, nan());
}

// Leaves and window ops (OMEN_IR_SPECIAL).
template <>
llvm::Value* Lowering::emit_op<Op::Const>(const Site& x) {
  return llvm::ConstantFP::get(f64_, x.in.imm);
}
template <>
llvm::Value* Lowering::emit_op<Op::Input>(const Site& x) {
  llvm::Value* addr = b_.CreateInBoundsGEP(f64_, col_base_[x.in.a], x.row);
  return b_.CreateAlignedLoad(f64_, addr, llvm::Align(8));
}
template <>
llvm::Value* Lowering::emit_op<Op::Time>(const Site& x) {
  // static_cast<double>(t) / 1000.0: a real division, never a multiply
  return b_.CreateFDiv(b_.CreateSIToFP(x.t, f64_), llvm::ConstantFP::get(f64_, 1000.0));
}
template <>
llvm::Value* Lowering::emit_op<Op::Window>(const Site& x) {
  auto kind = p_.windows[x.in.slot].kind;
  return b_.CreateCall(kernel_fn(kind), {state_[x.in.slot], x.t, x.a()});
}
template <>
llvm::Value* Lowering::emit_op<Op::WindowRead>(const Site& x) {
  auto kind = static_cast<kernels::WindowKind>(x.in.b);
  return b_.CreateCall(read_fn(kind), {state_[x.in.slot], llvm::ConstantFP::get(f64_, x.in.imm)});
}

// Scalar ops (OMEN_IR_SCALAR): each the IEEE operation of its ops.def expression.
template <>
llvm::Value* Lowering::emit_op<Op::Neg>(const Site& x) {
  return b_.CreateFNeg(x.a());
}
template <>
llvm::Value* Lowering::emit_op<Op::Not>(const Site& x) {
  return b2d(b_.CreateFCmpOEQ(x.a(), llvm::ConstantFP::get(f64_, 0.0)));
}
template <>
llvm::Value* Lowering::emit_op<Op::Abs>(const Site& x) {
  return b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x.a());
}
template <>
llvm::Value* Lowering::emit_op<Op::Sqrt>(const Site& x) {
  return b_.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x.a());
}
template <>
llvm::Value* Lowering::emit_op<Op::Exp>(const Site& x) {
  return b_.CreateCall(rt_fn("omen_rt_exp", 1), {x.a()});
}
template <>
llvm::Value* Lowering::emit_op<Op::Log>(const Site& x) {
  return b_.CreateCall(rt_fn("omen_rt_log", 1), {x.a()});
}
template <>
llvm::Value* Lowering::emit_op<Op::Floor>(const Site& x) {
  return b_.CreateUnaryIntrinsic(llvm::Intrinsic::floor, x.a());
}
template <>
llvm::Value* Lowering::emit_op<Op::Ceil>(const Site& x) {
  return b_.CreateUnaryIntrinsic(llvm::Intrinsic::ceil, x.a());
}
template <>
llvm::Value* Lowering::emit_op<Op::IsNaN>(const Site& x) {
  return b2d(b_.CreateFCmpUNO(x.a(), x.a()));
}
template <>
llvm::Value* Lowering::emit_op<Op::Add>(const Site& x) {
  return b_.CreateFAdd(x.a(), x.b());
}
template <>
llvm::Value* Lowering::emit_op<Op::Sub>(const Site& x) {
  return b_.CreateFSub(x.a(), x.b());
}
template <>
llvm::Value* Lowering::emit_op<Op::Mul>(const Site& x) {
  return b_.CreateFMul(x.a(), x.b());
}
template <>
llvm::Value* Lowering::emit_op<Op::Div>(const Site& x) {
  return b_.CreateFDiv(x.a(), x.b());
}
template <>
llvm::Value* Lowering::emit_op<Op::Mod>(const Site& x) {
  return b_.CreateCall(rt_fn("omen_rt_fmod", 2), {x.a(), x.b()});
}
template <>
llvm::Value* Lowering::emit_op<Op::Pow>(const Site& x) {
  return b_.CreateCall(rt_fn("omen_rt_pow", 2), {x.a(), x.b()});
}
template <>
llvm::Value* Lowering::emit_op<Op::Min>(const Site& x) {
  return min_max(Op::Min, x.a(), x.b());
}
template <>
llvm::Value* Lowering::emit_op<Op::Max>(const Site& x) {
  return min_max(Op::Max, x.a(), x.b());
}
template <>
llvm::Value* Lowering::emit_op<Op::Lt>(const Site& x) {
  return b2d(b_.CreateFCmpOLT(x.a(), x.b()));
}
template <>
llvm::Value* Lowering::emit_op<Op::Le>(const Site& x) {
  return b2d(b_.CreateFCmpOLE(x.a(), x.b()));
}
template <>
llvm::Value* Lowering::emit_op<Op::Gt>(const Site& x) {
  return b2d(b_.CreateFCmpOGT(x.a(), x.b()));
}
template <>
llvm::Value* Lowering::emit_op<Op::Ge>(const Site& x) {
  return b2d(b_.CreateFCmpOGE(x.a(), x.b()));
}
template <>
llvm::Value* Lowering::emit_op<Op::Eq>(const Site& x) {
  return b2d(b_.CreateFCmpOEQ(x.a(), x.b()));
}
template <>
llvm::Value* Lowering::emit_op<Op::Ne>(const Site& x) {
  return b2d(b_.CreateFCmpONE(x.a(), x.b()));  // ordered: false on NaN
}
template <>
llvm::Value* Lowering::emit_op<Op::And>(const Site& x) {
  return b2d(b_.CreateAnd(nonzero(x.a()), nonzero(x.b())));
}
template <>
llvm::Value* Lowering::emit_op<Op::Or>(const Site& x) {
  return b2d(b_.CreateOr(nonzero(x.a()), nonzero(x.b())));
}
template <>
llvm::Value* Lowering::emit_op<Op::Select>(const Site& x) {
  return b_.CreateSelect(nonzero(x.a()), x.b(), x.c());
}

llvm::Value* Lowering::emit(const ir::Instr& in, const std::vector<llvm::Value*>& v,
                            llvm::Value* row, llvm::Value* t) {
  const Site x{in, v, row, t};
  switch (in.op) {
#define OMEN_IR_OP(Name, spelling, arity) \
  case Op::Name:                          \
    return emit_op<Op::Name>(x);
#include "compiler/ir/ops.def"
  }
  return nan();  // unreachable for validated programs
}

void Lowering::run(const std::string& fn_name) {
  args_ty_ = llvm::StructType::get(ctx_, {ptr_, ptr_, ptr_, ptr_, i64_});
  auto* fty = llvm::FunctionType::get(b_.getVoidTy(), {ptr_}, false);
  auto* fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, fn_name, m_);
  // Unwind tables, so that an exception thrown by a kernel (allocation failure) can
  // unwind through JIT frames to the engine.
  fn->setUWTableKind(llvm::UWTableKind::Async);
  llvm::Argument* args = fn->getArg(0);
  args->setName("args");
  args->addAttr(llvm::Attribute::NoCapture);
  args->addAttr(llvm::Attribute::ReadOnly);
  args->addAttr(llvm::Attribute::NoUndef);
  args->addAttr(llvm::Attribute::getWithDereferenceableBytes(ctx_, sizeof(ir::BatchArgs)));
  args->addAttr(llvm::Attribute::getWithAlignment(ctx_, llvm::Align(8)));

  auto* entry = llvm::BasicBlock::Create(ctx_, "entry", fn);
  auto* pre = llvm::BasicBlock::Create(ctx_, "preheader", fn);
  auto* loop = llvm::BasicBlock::Create(ctx_, "row", fn);
  auto* exit = llvm::BasicBlock::Create(ctx_, "exit", fn);

  bool needs_t = false;
  std::vector<bool> col_used(p_.n_inputs, false), slot_used(p_.windows.size(), false);
  for (const ir::Instr& in : p_.code) {
    if (in.op == Op::Time || in.op == Op::Window) needs_t = true;
    if (in.op == Op::Input) col_used[in.a] = true;
    if (in.op == Op::Window || in.op == Op::WindowRead) slot_used[in.slot] = true;
  }

  b_.SetInsertPoint(entry);
  llvm::Value* n = field(args, kN, i64_, "n");
  b_.CreateCondBr(b_.CreateICmpEQ(n, b_.getInt64(0)), exit, pre);

  b_.SetInsertPoint(pre);
  llvm::Value* ts = needs_t ? field(args, kTs, ptr_, "ts") : nullptr;
  if (!p_.code.empty()) {
    llvm::Value* cols = p_.n_inputs ? field(args, kCols, ptr_, "cols") : nullptr;
    col_base_.assign(p_.n_inputs, nullptr);
    for (uint32_t i = 0; i < p_.n_inputs; ++i)
      if (col_used[i]) col_base_[i] = load_ptr_at(cols, i, "col");
    llvm::Value* states = p_.windows.empty() ? nullptr : field(args, kStates, ptr_, "states");
    state_.assign(p_.windows.size(), nullptr);
    for (size_t s = 0; s < p_.windows.size(); ++s)
      if (slot_used[s]) state_[s] = load_ptr_at(states, s, "state");
  }
  llvm::Value* outs = p_.outputs.empty() ? nullptr : field(args, kOuts, ptr_, "outs");
  for (size_t o = 0; o < p_.outputs.size(); ++o) out_base_.push_back(load_ptr_at(outs, o, "out"));
  b_.CreateBr(loop);

  b_.SetInsertPoint(loop);
  llvm::PHINode* row = b_.CreatePHI(i64_, 2, "i");
  row->addIncoming(b_.getInt64(0), pre);
  llvm::Value* t = nullptr;
  if (needs_t)
    t = b_.CreateAlignedLoad(i64_, b_.CreateInBoundsGEP(i64_, ts, row), llvm::Align(8), "t");
  std::vector<llvm::Value*> v;
  v.reserve(p_.code.size());
  std::vector<std::optional<double>> known;  // compile-time value, if any
  known.reserve(p_.code.size());
  for (const ir::Instr& in : p_.code) {
    std::optional<double> k;
    if (in.op == Op::Const) {
      k = in.imm;
    } else if (ir::is_scalar(in.op)) {
      // Folded with the interpreter's own expressions (ir::eval_scalar), evaluated here on
      // the host, so the result has the bits the interpreter computes at run time (but
      // which NaN add or mul of two NaNs returns: harness.h of the JIT tests). Left to
      // LLVM, APFloat would fold e.g. 0 * inf to +NaN (0x7ff8...) where x86 gives -NaN
      // (0xfff8...), and a message printing the value would show "nan" in one tier and
      // "-nan" in the other.
      const int n_ops = ir::arity(in.op);
      bool all = known[in.a] && (n_ops < 2 || known[in.b]) && (n_ops < 3 || known[in.c]);
      if (all)
        k = ir::eval_scalar(in.op, *known[in.a], n_ops > 1 ? *known[in.b] : 0.0,
                            n_ops > 2 ? *known[in.c] : 0.0);
    }
    known.push_back(k);
    v.push_back(k ? llvm::ConstantFP::get(f64_, *k) : emit(in, v, row, t));
  }
  for (size_t o = 0; o < p_.outputs.size(); ++o) {
    llvm::Value* addr = b_.CreateInBoundsGEP(f64_, out_base_[o], row);
    b_.CreateAlignedStore(v[p_.outputs[o]], addr, llvm::Align(8));
  }
  llvm::Value* next = b_.CreateNUWAdd(row, b_.getInt64(1), "next");
  row->addIncoming(next, loop);
  b_.CreateCondBr(b_.CreateICmpULT(next, n), loop, exit);

  b_.SetInsertPoint(exit);
  b_.CreateRetVoid();
}

}  // namespace

bool validate(const ir::Program& p, std::string* error) {
  auto fail = [&](size_t i, const char* what) {
    if (error) *error = "invalid IR in '" + p.name + "' at %" + std::to_string(i) + ": " + what;
    return false;
  };
  for (size_t i = 0; i < p.code.size(); ++i) {
    const ir::Instr& in = p.code[i];
    if (static_cast<size_t>(in.op) >= ir::kNumOps) return fail(i, "unknown opcode");
    const int k = ir::arity(in.op);
    if ((k > 0 && in.a >= i) || (k > 1 && in.b >= i) || (k > 2 && in.c >= i))
      return fail(i, "operand does not name an earlier value");
    if (in.op == Op::Input && in.a >= p.n_inputs) return fail(i, "input column out of range");
    if (in.op == Op::Window) {
      if (in.slot >= p.windows.size()) return fail(i, "window slot out of range");
      if (static_cast<size_t>(p.windows[in.slot].kind) >= kernels::kNumWindowKinds)
        return fail(i, "unknown window kind");
    }
    if (in.op == Op::WindowRead) {
      if (in.slot >= p.windows.size()) return fail(i, "window slot out of range");
      const ir::Instr& push = p.code[in.a];
      if (push.op != Op::Window || push.slot != in.slot)
        return fail(i, "window read does not follow the push of its slot");
      if (in.b >= kernels::kNumWindowKinds ||
          !kernels::can_read(p.windows[in.slot].kind, static_cast<kernels::WindowKind>(in.b)))
        return fail(i, "window read of a kind its state does not serve");
    }
  }
  for (uint32_t o : p.outputs)
    if (o >= p.code.size()) return fail(p.code.size(), "output names no value");
  return true;
}

std::unique_ptr<llvm::Module> new_module(const std::string& name, llvm::LLVMContext& ctx,
                                         const llvm::TargetMachine& tm) {
  auto m = std::make_unique<llvm::Module>(name, ctx);
  m->setTargetTriple(tm.getTargetTriple().str());
  m->setDataLayout(tm.createDataLayout());
  return m;
}

void add_function(const ir::Program& program, const std::string& fn_name, llvm::Module& module) {
  Lowering(program, module).run(fn_name);
}

std::unique_ptr<llvm::Module> build_module(const ir::Program& program, const std::string& fn_name,
                                           llvm::LLVMContext& ctx, const llvm::TargetMachine& tm) {
  auto m = new_module(fn_name, ctx, tm);
  add_function(program, fn_name, *m);
  return m;
}

}  // namespace omen::jit
