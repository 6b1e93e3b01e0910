#pragma once
// Load-aware slots: how much of a core an item keeps busy, as history measured it.

#include "launcher/history.hpp"

namespace fanout::launcher {

/// Items shorter than this on average always hold a whole core: their CPU share is noise, and
/// sharing a core gains nothing on items that short.
inline constexpr double min_measured_seconds = 0.1;
/// The least share an item is given, however idle it was: it still costs a process.
inline constexpr double min_core_share = 0.1;

/// The share of a core, in [min_core_share, 1], that an item with this history keeps busy: its
/// averaged CPU time over its averaged wall time, rounded up to a tenth. 1 (a whole core) when
/// `item` is null, its CPU time was never measured, or it averages under min_measured_seconds.
double core_share(const ItemHistory* item);

}  // namespace fanout::launcher
