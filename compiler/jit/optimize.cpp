// The pass pipeline: LLVM's per-module default pipeline (what clang -O2 runs), with
// library-call knowledge switched off.
#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Passes/OptimizationLevel.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Target/TargetMachine.h>

#include "compiler/jit/codegen.h"

namespace omen::jit {

void optimize_module(llvm::Module& module, llvm::TargetMachine& tm,
                     const llvm::TargetLibraryInfoImpl& tlii, int opt_level) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;

  // Loop vectorization (and interleaving) only at O3: it doubles compile time for the
  // loops it applies to (rules without windows, which are cheap per row anyway), and rules
  // with windows call a kernel every row, which it cannot vectorize. Results are the same
  // either way: vector lanes do the same IEEE operations.
  llvm::PipelineTuningOptions pto;
  pto.LoopVectorization = opt_level >= 3;
  pto.LoopInterleaving = opt_level >= 3;
  pto.SLPVectorization = opt_level >= 2;
  pto.LoopUnrolling = opt_level >= 2;
  llvm::PassBuilder pb(&tm, pto);
  // Registered first, so it wins over the default TargetLibraryAnalysis: with every
  // library function unavailable, no pass recognizes, folds or creates libm/libc calls
  // (e.g. a loop storing zeros never becomes a call to memset, which is not on the
  // allow-list).
  fam.registerPass([&] { return llvm::TargetLibraryAnalysis(tlii); });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);

  llvm::OptimizationLevel level = llvm::OptimizationLevel::O2;
  switch (opt_level) {
    case 0: level = llvm::OptimizationLevel::O0; break;
    case 1: level = llvm::OptimizationLevel::O1; break;
    case 3: level = llvm::OptimizationLevel::O3; break;
    default: break;
  }
  llvm::ModulePassManager mpm = level == llvm::OptimizationLevel::O0
                                    ? pb.buildO0DefaultPipeline(level)
                                    : pb.buildPerModuleDefaultPipeline(level);
  mpm.run(module, mam);
}

}  // namespace omen::jit
