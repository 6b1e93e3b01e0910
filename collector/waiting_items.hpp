#pragma once
// Finding a batch's items by name as a framework's output names them.

#include <cstddef>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/item.hpp"

namespace fanout::collector {

/// Looks up the items of a batch by name, for a parser that follows the batch's process. A binary
/// runs a batch in batch order (the order of its listing), so the first item still waiting is
/// tried first; only a name that comes out of order builds an index of every name.
class WaitingItems {
 public:
  /// `items` must outlive this object, unchanged.
  explicit WaitingItems(const std::vector<const Item*>& items) : items_(items) {}
  WaitingItems(const WaitingItems&) = delete;  // would look into the other's items
  WaitingItems& operator=(const WaitingItems&) = delete;

  /// The first item called `name` for which `is_waiting(index)` holds. Items once not waiting
  /// must never wait again.
  template <typename IsWaiting>
  std::optional<std::size_t> first(std::string_view name, IsWaiting is_waiting) {
    while (first_waiting_ < items_.size() && !is_waiting(first_waiting_)) ++first_waiting_;
    if (first_waiting_ < items_.size() && items_[first_waiting_]->name == name) {
      return first_waiting_;
    }
    if (index_.empty()) {
      index_.reserve(items_.size());
      for (std::size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i]->name, i);
    }
    std::optional<std::size_t> found;
    const auto [begin, end] = index_.equal_range(name);
    for (auto it = begin; it != end; ++it) {
      if (is_waiting(it->second) && (!found || it->second < *found)) found = it->second;
    }
    return found;
  }

 private:
  const std::vector<const Item*>& items_;
  std::unordered_multimap<std::string_view, std::size_t> index_;
  std::size_t first_waiting_ = 0;  ///< no item before it is waiting
};

}  // namespace fanout::collector
