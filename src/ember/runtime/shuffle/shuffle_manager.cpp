#include "ember/runtime/shuffle/shuffle_manager.h"

namespace ember {

ShuffleManager::~ShuffleManager() = default;

}  // namespace ember
