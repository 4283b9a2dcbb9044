// The ZooKeeper client's silence judgment (backends/dcs/zookeeper/silence_detector.hpp), in
// plain numbers: silent only after the whole limit without an answer, one question at a time
// from about half of it, answering again at the next answer.
#include "backends/dcs/zookeeper/silence_detector.hpp"

#include <catch2/catch.hpp>

using praetor::dcs::silence_detector;
using change = silence_detector::verdict::change;

TEST_CASE("silence: a question from half the limit, silent past it, back at the next answer",
          "[dcs][zookeeper]") {
  silence_detector d(7);
  const std::int64_t limit = 4000;
  // Just answered: nothing to ask; look again before half the limit.
  auto v = d.judge(10'000, 10'000, limit);
  CHECK(v.what == change::none);
  CHECK_FALSE(v.ask);
  CHECK(v.next_ms > 10'000);
  CHECK(v.next_ms <= 12'000);

  // Quiet for half the limit: one question.
  v = d.judge(12'000, 10'000, limit);
  CHECK(v.ask);
  CHECK(v.what == change::none);
  // Asked, no answer yet: no second question before another half.
  v = d.judge(13'000, 10'000, limit);
  CHECK_FALSE(v.ask);
  CHECK(v.next_ms == 14'000);  // the limit, or the next question, whichever first

  // The limit passed without an answer: silent, said once.
  v = d.judge(14'001, 10'000, limit);
  CHECK(v.what == change::went_silent);
  CHECK(v.quiet_for_ms == 4001);
  CHECK(v.ask);  // and asked again
  CHECK(d.silent());
  v = d.judge(15'000, 10'000, limit);
  CHECK(v.what == change::none);

  // An answer: answering again.
  v = d.judge(15'100, 15'050, limit);
  CHECK(v.what == change::answers_again);
  CHECK_FALSE(d.silent());
}

TEST_CASE("silence: forgotten while not connected (the C client reports that itself)",
          "[dcs][zookeeper]") {
  silence_detector d(1);
  REQUIRE(d.judge(20'000, 10'000, 4000).what == change::went_silent);
  CHECK(d.not_connected(20'500, 4000) == 22'500);
  CHECK_FALSE(d.silent());
  // Connected again with a fresh answer: no "answers again" for a silence already forgotten.
  CHECK(d.judge(21'000, 21'000, 4000).what == change::none);
}

TEST_CASE("silence: a limit under 400 ms still asks at most every 200 ms", "[dcs][zookeeper]") {
  silence_detector d(3);
  auto v = d.judge(1000, 1000 - 200, 300);
  CHECK(v.ask);
  CHECK_FALSE(d.judge(1100, 800, 300).ask);
  CHECK(d.judge(1200, 800, 300).ask);
}
