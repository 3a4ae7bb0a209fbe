#include "ember/io/parquet/dictionary_builder.h"

#include <cstring>

#include "ember/exec/hashtable/vector_hash.h"

namespace ember::parquet {

namespace {

// The engine's own hashes (vector_hash.h); dictionary indices follow insertion order, so the
// hash only decides probe sequences.
template <class K>
inline uint64_t hash_key(K key) {
  if constexpr (sizeof(K) == 16) {
    return hash_mix64(static_cast<uint64_t>(key) ^ hash_mix64(static_cast<uint64_t>(key >> 64)));
  } else {
    return hash_mix64(static_cast<uint64_t>(key));
  }
}

inline uint64_t hash_string(std::string_view v) { return ember::hash_bytes(v.data(), v.size()); }

}  // namespace

template <class K>
uint32_t FixedDictionary<K>::get_or_insert(K key) {
  size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash_key(key)) & mask;
  while (true) {
    uint32_t s = slots_[i];
    if (s == 0) break;
    if (values_[s - 1] == key) return s - 1;
    i = (i + 1) & mask;
  }
  auto index = static_cast<uint32_t>(values_.size());
  values_.push_back(key);
  slots_[i] = index + 1;
  if (values_.size() * 2 > slots_.size()) grow();
  return index;
}

template <class K>
void FixedDictionary<K>::grow() {
  std::vector<uint32_t> fresh(slots_.size() * 2, 0);
  size_t mask = fresh.size() - 1;
  for (size_t v = 0; v < values_.size(); ++v) {
    size_t i = static_cast<size_t>(hash_key(values_[v])) & mask;
    while (fresh[i] != 0) i = (i + 1) & mask;
    fresh[i] = static_cast<uint32_t>(v + 1);
  }
  slots_.swap(fresh);
}

template <class K>
void FixedDictionary<K>::clear() {
  slots_.assign(kInitialSlots, 0);
  values_.clear();
}

template class FixedDictionary<uint32_t>;
template class FixedDictionary<uint64_t>;
template class FixedDictionary<unsigned __int128>;

uint32_t BinaryDictionary::get_or_insert(std::string_view v) {
  auto h = static_cast<uint32_t>(hash_string(v));
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (true) {
    const Slot& s = slots_[i];
    if (s.index_plus_one == 0) break;
    if (s.hash == h && value(s.index_plus_one - 1) == v) return s.index_plus_one - 1;
    i = (i + 1) & mask;
  }
  auto index = static_cast<uint32_t>(offsets_.size());
  offsets_.push_back(arena_.size());
  lengths_.push_back(static_cast<uint32_t>(v.size()));
  arena_.append(v);
  slots_[i] = Slot{h, index + 1};
  if (offsets_.size() * 2 > slots_.size()) grow();
  return index;
}

void BinaryDictionary::grow() {
  std::vector<Slot> fresh(slots_.size() * 2);
  size_t mask = fresh.size() - 1;
  for (const Slot& s : slots_) {
    if (s.index_plus_one == 0) continue;
    size_t i = s.hash & mask;
    while (fresh[i].index_plus_one != 0) i = (i + 1) & mask;
    fresh[i] = s;
  }
  slots_.swap(fresh);
}

void BinaryDictionary::clear() {
  slots_.assign(1024, Slot{});
  arena_.clear();
  offsets_.clear();
  lengths_.clear();
}

}  // namespace ember::parquet
