#pragma once
// What history knows per item id, stored flat: the ids side by side in one buffer, the entries in
// one vector, and a hash index of their positions. Loading thousands of entries then costs a few
// allocations instead of a few per entry, and touches about half the memory a std::map would
// (in a fresh process, every page first touched costs a page fault).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collector/result.hpp"

namespace fanout::launcher {

/// What history knows about one item.
struct ItemHistory {
  double mean_seconds = 0;  ///< averaged wall time; meaningful only when runs > 0
  std::uint64_t runs = 0;   ///< timed runs behind mean_seconds; 0: duration unknown
  collector::Outcome last_outcome = collector::Outcome::not_run;
  std::uint64_t flaky = 0;  ///< runs that ended flaky
  double cpu_seconds = -1;  ///< averaged CPU time; negative: never measured
  std::uint64_t cpu_runs = 0;
};

/// ItemHistory entries by item id. Finding an id takes constant time; entries can be visited in
/// id order (bytewise, as std::string compares), for saving and per-target sums. Pointers and
/// references to entries stay valid until the next add() or reserve().
class HistoryItems {
 public:
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  /// Makes room for about `count` entries whose ids take `id_bytes` together (a hint: more may be
  /// added, and room never touched costs nothing).
  void reserve(std::size_t count, std::size_t id_bytes);

  /// The entry of `id`, or nullptr.
  const ItemHistory* find(std::string_view id) const;
  ItemHistory* find(std::string_view id);

  /// The entry of `id`, added with default values first when missing (then `*added` is set to
  /// true, else to false, when `added` is given).
  ItemHistory& add(std::string_view id, bool* added = nullptr);

  /// Calls visit(id, item) for every entry, in no particular order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const Entry& entry : entries_) visit(id_of(entry), entry.item);
  }

  /// Calls visit(id, item) for every entry in id order.
  template <typename Visit>
  void for_each_sorted(Visit&& visit) const {
    if (sorted_) return for_each(visit);
    for (const std::uint32_t position : sorted_positions()) {
      visit(id_of(entries_[position]), entries_[position].item);
    }
  }

  /// Calls visit(id, item) for every entry whose id starts with `prefix`, in no particular order.
  template <typename Visit>
  void for_each_with_prefix(std::string_view prefix, Visit&& visit) const {
    auto at = entries_.begin();
    // In id order, those entries stand together from the first id not below the prefix.
    if (sorted_) {
      at = std::partition_point(entries_.begin(), entries_.end(),
                                [&](const Entry& entry) { return id_of(entry) < prefix; });
    }
    for (; at != entries_.end(); ++at) {
      const std::string_view id = id_of(*at);
      if (id.starts_with(prefix)) {
        visit(id, at->item);
      } else if (sorted_) {
        break;
      }
    }
  }

 private:
  struct Entry {
    std::uint32_t id_offset = 0;  ///< where the id starts in ids_
    std::uint32_t id_size = 0;
    ItemHistory item;
  };
  /// One place of the index: 0, or the entry's position + 1 and a few bits of its id's hash.
  struct Slot {
    std::uint32_t position_plus_one = 0;
    std::uint32_t hash_bits = 0;
  };

  std::string_view id_of(const Entry& entry) const {
    return {ids_.data() + entry.id_offset, entry.id_size};
  }
  /// The place in slots_ of `id` (whose hash is `hash`): where it is, or the free slot where it
  /// would go.
  std::size_t slot_of(std::string_view id, std::size_t hash) const;
  /// Keeps the index at most half full for `count` entries.
  void reserve_index(std::size_t count);
  /// Positions of entries_ in id order.
  std::vector<std::uint32_t> sorted_positions() const;

  std::string ids_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;  ///< open addressing, probed linearly; empty or a power of two long
  bool sorted_ = true;       ///< entries_ are in id order: each id was added after the last
};

}  // namespace fanout::launcher
