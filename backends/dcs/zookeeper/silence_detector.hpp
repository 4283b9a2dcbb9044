// When a ZooKeeper connection counts as lost for silence, and when to ask the server whether it
// is there: the C client only gives a connection up after 2/3 of the session timeout without a
// byte from the server, too late for a primary to demote before its lock expires. Silent after
// `limit` (Patroni's read timeout) without any answer; answering again at the next answer. One
// question at a time, once the server has been quiet for about half the limit, as kazoo pings.
//
// Pure (times are passed in); the ZooKeeper client's reviver thread drives it.
#pragma once

#include <cstdint>
#include <random>

namespace praetor::dcs {

class silence_detector {
 public:
  explicit silence_detector(std::uint32_t seed = std::random_device{}()) : random_(seed) {}

  struct verdict {
    enum class change { none, went_silent, answers_again };
    change what = change::none;
    bool ask = false;          // send one question now
    std::int64_t next_ms = 0;  // when to look again
    std::int64_t quiet_for_ms = 0;
  };

  // The connection is not up: the C client reports that itself, silence is forgotten.
  std::int64_t not_connected(std::int64_t now_ms, std::int64_t limit_ms);
  // `last_answer_ms`: the server last answered anything (replies, watch events, the connection).
  verdict judge(std::int64_t now_ms, std::int64_t last_answer_ms, std::int64_t limit_ms);
  bool silent() const { return silent_; }

 private:
  std::int64_t last_ask_ms_ = 0;
  bool silent_ = false;
  std::int64_t jitter_ms_ = 0;  // the next question comes this much early
  std::minstd_rand random_;
};

}  // namespace praetor::dcs
