#pragma once
// Items as compact binary records, so a cached listing's items are read back without parsing
// the listing again.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collector/item.hpp"

namespace fanout::collector {

/// Appends the records of `items` to `out`: every field of each Item, strings as a u32 length
/// and their bytes, integers at a fixed size, little-endian. False (and `out` as it was) when a
/// string, a label list or the item count does not fit in a u32.
bool append_item_records(std::span<const Item> items, std::string& out);

/// The items whose records (as append_item_records wrote them) are exactly `records`, equal to
/// the items encoded field by field. nullopt for anything else (truncated, extended, damaged):
/// never reads outside `records`, never allocates more than `records` justifies, never throws.
std::optional<std::vector<Item>> read_item_records(std::string_view records) noexcept;

}  // namespace fanout::collector
