#include "ember/exec/hashtable/dictionary_key_map.h"

namespace ember {

bool DictionaryKeyMap::prepare(const std::vector<VectorPtr>& keys, size_t n) {
  if (keys.empty()) return false;
  size_t combinations = 1;
  bool same = dictionaries_.size() == keys.size();
  for (size_t k = 0; k < keys.size(); ++k) {
    if (!keys[k]->is_dictionary()) return false;
    combinations *= keys[k]->dictionary()->size();
    if (combinations > kMaxCombinations) return false;
    same = same && dictionaries_[k] == keys[k]->dictionary();
  }
  if (!same) {
    dictionaries_.clear();
    for (const auto& k : keys) dictionaries_.push_back(k->dictionary());
    payloads_.assign(combinations, nullptr);
  }
  // Mixed radix: combination = ((c0 * d1 + c1) * d2 + c2) ...
  combination_.resize(n);
  uint32_t* combo = combination_.data();
  const int32_t* first = keys[0]->codes();
  for (size_t i = 0; i < n; ++i) combo[i] = static_cast<uint32_t>(first[i]);
  for (size_t k = 1; k < keys.size(); ++k) {
    const auto d = static_cast<uint32_t>(keys[k]->dictionary()->size());
    const int32_t* codes = keys[k]->codes();
    for (size_t i = 0; i < n; ++i) combo[i] = combo[i] * d + static_cast<uint32_t>(codes[i]);
  }
  // The first row of each combination not looked up yet; a placeholder marks it taken within the
  // batch, and find_or_insert overwrites it with the real payload before any row reads it.
  uint8_t* const taken = reinterpret_cast<uint8_t*>(&representatives_);
  representatives_.clear();
  for (size_t i = 0; i < n; ++i) {
    uint8_t*& p = payloads_[combo[i]];
    if (p == nullptr) {
      p = taken;
      representatives_.push_back(static_cast<uint32_t>(i));
    }
  }
  return true;
}

}  // namespace ember
