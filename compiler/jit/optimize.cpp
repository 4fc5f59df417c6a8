// The pass pipeline. Rule programs are one loop over rows around a straight-line body
// whose column pointers are already hoisted, whose constants are already folded and whose
// common sub-expressions are already shared (compiler/check hash-conses; codegen.cpp folds
// constants with the interpreter's own expressions). LLVM's O2 module pipeline (~2 ms per
// module, most of a rule's compile time) found nothing more to win on such code: the
// native code ran as fast per row (bench/jit). So levels 1 and 2 run a short function
// pipeline instead; level 3 keeps LLVM's full O3 pipeline, with the loop vectorizer.
// Library-call knowledge is switched off at every level.
#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Passes/OptimizationLevel.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include "compiler/jit/codegen.h"

namespace omen::jit {

void optimize_module(llvm::Module& module, llvm::TargetMachine& tm,
                     const llvm::TargetLibraryInfoImpl& tlii, int opt_level) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;

  // Only used at level 3 (LLVM's default pipeline). Results are the same with or without
  // vectorization: vector lanes do the same IEEE operations.
  llvm::PipelineTuningOptions pto;
  pto.LoopVectorization = opt_level >= 3;
  pto.LoopInterleaving = opt_level >= 3;
  pto.SLPVectorization = opt_level >= 3;
  pto.LoopUnrolling = opt_level >= 3;
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

  llvm::ModulePassManager mpm;
  if (opt_level <= 0) {
    mpm = pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0);
  } else if (opt_level <= 2) {
    // The rule pipeline: peephole rewrites (instcombine), CSE of what they expose, CFG
    // cleanup.
    llvm::FunctionPassManager fpm;
    fpm.addPass(llvm::InstCombinePass());
    fpm.addPass(llvm::EarlyCSEPass());
    fpm.addPass(llvm::SimplifyCFGPass());
    mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  } else {
    mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  }
  mpm.run(module, mam);
}

}  // namespace omen::jit
