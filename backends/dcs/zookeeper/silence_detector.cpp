#include "backends/dcs/zookeeper/silence_detector.hpp"

#include <algorithm>

namespace praetor::dcs {
namespace {

// A question after half the limit leaves the other half for the answer, and makes the next
// question fall due when the limit does: one wake-up.
std::int64_t half_of(std::int64_t limit_ms) {
  return std::max<std::int64_t>(200, limit_ms / 2);
}

}  // namespace

std::int64_t silence_detector::not_connected(std::int64_t now_ms, std::int64_t limit_ms) {
  silent_ = false;
  return now_ms + half_of(limit_ms);
}

silence_detector::verdict silence_detector::judge(std::int64_t now_ms, std::int64_t last_answer_ms,
                                                  std::int64_t limit_ms) {
  const std::int64_t half = half_of(limit_ms);
  verdict v;
  v.quiet_for_ms = now_ms - last_answer_ms;
  if (v.quiet_for_ms > limit_ms) {
    if (!silent_) v.what = verdict::change::went_silent;
    silent_ = true;
  } else if (silent_) {
    silent_ = false;
    v.what = verdict::change::answers_again;
  }
  // Due a quarter early, so that the answer to the previous question, which takes a moment,
  // does not make this wake-up miss its turn; and again when half of it passed without an
  // answer. Each question comes a random moment early, as kazoo's pings do: questions chained
  // to answers would otherwise keep the phase of the watch event that started the chain, and
  // those come on ZooKeeper's expiry grid (actors/beat_grid.hpp says what that phase costs).
  const std::int64_t due = half - jitter_ms_;
  bool asking = last_ask_ms_ > last_answer_ms;
  if (v.quiet_for_ms >= due - half / 4 && (!asking || now_ms - last_ask_ms_ >= half)) {
    last_ask_ms_ = now_ms;
    asking = true;
    v.ask = true;
    jitter_ms_ = std::uniform_int_distribution<std::int64_t>(
        10, std::max<std::int64_t>(10, std::min<std::int64_t>(400, half / 4)))(random_);
  }
  if (!asking)
    v.next_ms = last_answer_ms + due;
  else if (silent_)
    v.next_ms = last_ask_ms_ + half;
  else
    v.next_ms = std::min(last_ask_ms_ + half, last_answer_ms + limit_ms + 1);
  return v;
}

}  // namespace praetor::dcs
