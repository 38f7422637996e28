#include "vigie/french_analyzer.h"
namespace vigie {
struct FrenchAnalyzer::Impl {};
FrenchAnalyzer::FrenchAnalyzer() : impl_(std::make_unique<Impl>()) {}
FrenchAnalyzer::~FrenchAnalyzer() = default;
}  // namespace vigie
