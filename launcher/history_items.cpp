#include "launcher/history_items.hpp"

#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace fanout::launcher {

namespace {

std::size_t hash_of(std::string_view id) {
  return std::hash<std::string_view>{}(id);
}

/// The bits of a hash a slot keeps: the high ones (the low ones pick the slot).
std::uint32_t hash_bits(std::size_t hash) {
  return static_cast<std::uint32_t>(hash >> (std::numeric_limits<std::size_t>::digits - 32));
}

}  // namespace

void HistoryItems::reserve(std::size_t count, std::size_t id_bytes) {
  entries_.reserve(count);
  ids_.reserve(id_bytes);
  reserve_index(count);
}

std::size_t HistoryItems::slot_of(std::string_view id, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const std::uint32_t bits = hash_bits(hash);
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.position_plus_one == 0) return i;
    if (slot.hash_bits == bits && id_of(entries_[slot.position_plus_one - 1]) == id) return i;
  }
}

const ItemHistory* HistoryItems::find(std::string_view id) const {
  if (slots_.empty()) return nullptr;
  const std::uint32_t at = slots_[slot_of(id, hash_of(id))].position_plus_one;
  return at == 0 ? nullptr : &entries_[at - 1].item;
}

ItemHistory* HistoryItems::find(std::string_view id) {
  if (slots_.empty()) return nullptr;
  const std::uint32_t at = slots_[slot_of(id, hash_of(id))].position_plus_one;
  return at == 0 ? nullptr : &entries_[at - 1].item;
}

ItemHistory& HistoryItems::add(std::string_view id, bool* added) {
  if (2 * (entries_.size() + 1) > slots_.size()) reserve_index(entries_.size() + 1);
  const std::size_t hash = hash_of(id);
  Slot& slot = slots_[slot_of(id, hash)];
  if (added) *added = slot.position_plus_one == 0;
  if (slot.position_plus_one != 0) return entries_[slot.position_plus_one - 1].item;
  constexpr std::size_t limit = std::numeric_limits<std::uint32_t>::max();
  if (entries_.size() >= limit || ids_.size() + id.size() > limit) {
    throw std::length_error("history: too many items");
  }
  if (sorted_ && !entries_.empty() && !(id_of(entries_.back()) < id)) sorted_ = false;
  const Entry entry{static_cast<std::uint32_t>(ids_.size()), static_cast<std::uint32_t>(id.size())};
  ids_.append(id);
  entries_.push_back(entry);
  slot = {static_cast<std::uint32_t>(entries_.size()), hash_bits(hash)};
  return entries_.back().item;
}

void HistoryItems::reserve_index(std::size_t count) {
  if (2 * count <= slots_.size()) return;
  std::size_t capacity = 16;
  while (capacity < 2 * count) capacity *= 2;
  slots_.assign(capacity, Slot{});
  const std::size_t mask = capacity - 1;
  for (std::size_t position = 0; position < entries_.size(); ++position) {
    const std::size_t hash = hash_of(id_of(entries_[position]));
    std::size_t i = hash & mask;
    while (slots_[i].position_plus_one != 0) i = (i + 1) & mask;
    slots_[i] = {static_cast<std::uint32_t>(position + 1), hash_bits(hash)};
  }
}

std::vector<std::uint32_t> HistoryItems::sorted_positions() const {
  std::vector<std::uint32_t> positions(entries_.size());
  std::iota(positions.begin(), positions.end(), 0);
  std::sort(positions.begin(), positions.end(), [&](std::uint32_t a, std::uint32_t b) {
    return id_of(entries_[a]) < id_of(entries_[b]);
  });
  return positions;
}

}  // namespace fanout::launcher
