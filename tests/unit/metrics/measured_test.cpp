// measured() inside a real CAF 0.17 typed actor: the wrapped handlers keep their signatures
// (const T&, T, T&, no argument but an atom; void, T and caf::result<T> results), every call
// is counted under its type, and queued_messages() sees what waits in the mailbox.
#include "actors/actor_meter/measured.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <numeric>

#include "actors/actor_meter/queued_messages.hpp"

namespace metrics_test {

struct ping {
  int n = 0;
};
struct twice {
  int x = 0;
};
struct twice_later {
  int x = 0;
};
struct take {
  std::string text;
};
struct hold {};  // blocks the actor until the test lets go
struct report {};

}  // namespace metrics_test

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(metrics_test::ping)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(metrics_test::twice)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(metrics_test::twice_later)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(metrics_test::take)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(metrics_test::hold)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(metrics_test::report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(praetor::actor_metrics)

namespace metrics_test {

using namespace praetor;
using tick_atom = caf::atom_constant<caf::atom("tick")>;

using probe_actor = caf::typed_actor<caf::reacts_to<ping>, caf::replies_to<twice>::with<int>,
                                     caf::replies_to<twice_later>::with<int>, caf::reacts_to<take>,
                                     caf::reacts_to<hold>, caf::reacts_to<tick_atom>,
                                     caf::replies_to<report>::with<actor_metrics>>;

struct probe_state {
  probe_state() : meter("probe") {}  // not an aggregate: CAF would build it from the self pointer
  actor_meter meter;
  int pings = 0;
  std::string taken;
  static inline const char* name = "probe";
};

probe_actor::behavior_type probe(probe_actor::stateful_pointer<probe_state> self,
                                 std::shared_future<void> released) {
  actor_meter& m = self->state.meter;
  return {
      measured(m, [=](const ping& p) { self->state.pings += p.n; }),
      measured(m, [](twice t) -> int { return 2 * t.x; }),
      measured(m, [](const twice_later& t) -> caf::result<int> { return 2 * t.x + 1; }),
      measured(m, [=](take& t) { self->state.taken = std::move(t.text); }),
      measured(m, [released](const hold&) { released.wait(); }),
      measured(m, "tick", [](tick_atom) {}),
      measured(m,
               [=](const report&) {
                 self->state.meter.set_mailbox_depth(queued_messages(self));
                 return self->state.meter.snapshot();
               }),
  };
}

const message_stats& stats_of(const actor_metrics& m, std::string_view type) {
  for (const message_stats& s : m.messages)
    if (s.type == type) return s;
  FAIL("no statistics for " << type);
  throw std::logic_error("unreachable");
}

struct probe_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::promise<void> release;
  probe_actor probe_handle = sys.spawn<caf::detached>(probe, release.get_future().share());
  caf::scoped_actor self{sys};

  ~probe_fixture() {
    try {
      release.set_value();
    } catch (const std::future_error&) {  // already released by the test
    }
    self->send_exit(probe_handle, caf::exit_reason::user_shutdown);
    self->wait_for(probe_handle);
  }

  template <class Answer, class Request>
  Answer ask(Request r) {
    Answer out{};
    self->request(probe_handle, caf::infinite, std::move(r))
        .receive([&](Answer& a) { out = std::move(a); },
                 [&](caf::error& e) { FAIL("request failed: " << caf::to_string(e)); });
    return out;
  }
};

}  // namespace metrics_test

using namespace metrics_test;

TEST_CASE("measured handlers keep their signatures and count every message", "[metrics][caf]") {
  probe_fixture f;
  f.release.set_value();  // hold returns at once in this test

  // Before any message: every measured type is listed with count 0; report itself too (its own
  // call is recorded after the snapshot it answers with).
  const actor_metrics first = f.ask<actor_metrics>(report{});
  CHECK(first.actor == "probe");
  std::vector<std::string> types;
  for (const message_stats& s : first.messages) {
    types.push_back(s.type);
    CHECK(s.count == 0);
  }
  CHECK(types ==
        std::vector<std::string>{"hold", "ping", "report", "take", "tick", "twice", "twice_later"});

  for (int i = 0; i < 3; ++i) caf::anon_send(f.probe_handle, ping{1});
  caf::anon_send(f.probe_handle, take{"moved"});
  caf::anon_send(f.probe_handle, tick_atom::value);
  caf::anon_send(f.probe_handle, hold{});
  CHECK(f.ask<int>(twice{21}) == 42);
  CHECK(f.ask<int>(twice_later{20}) == 41);

  const actor_metrics m = f.ask<actor_metrics>(report{});
  CHECK(stats_of(m, "ping").count == 3);
  CHECK(stats_of(m, "take").count == 1);
  CHECK(stats_of(m, "tick").count == 1);
  CHECK(stats_of(m, "hold").count == 1);
  CHECK(stats_of(m, "twice").count == 1);
  CHECK(stats_of(m, "twice_later").count == 1);
  CHECK(stats_of(m, "report").count == 1);  // the first report
  for (const message_stats& s : m.messages) {
    CHECK(s.buckets.size() == handling_time_bounds_seconds.size());
    CHECK(std::accumulate(s.buckets.begin(), s.buckets.end(), std::uint64_t{0}) == s.count);
    CHECK(s.seconds_sum >= 0);
  }
}

TEST_CASE("queued_messages counts what waits behind the message being handled", "[metrics][caf]") {
  probe_fixture f;
  // The actor blocks in hold; meanwhile report and three pings queue up behind it.
  caf::anon_send(f.probe_handle, hold{});
  auto answer = f.self->request(f.probe_handle, caf::infinite, report{});
  for (int i = 0; i < 3; ++i) caf::anon_send(f.probe_handle, ping{1});
  f.release.set_value();

  actor_metrics m;
  answer.receive([&](actor_metrics& a) { m = std::move(a); },
                 [&](caf::error& e) { FAIL("request failed: " << caf::to_string(e)); });
  CHECK(m.mailbox_depth == 3);  // the pings; not report itself, already out of the queue
  CHECK(stats_of(m, "hold").count == 1);
  CHECK(stats_of(m, "ping").count == 0);
}

TEST_CASE("message type names lose their namespaces, not their template arguments", "[metrics]") {
  CHECK(praetor::message_type_name(typeid(metrics_test::ping)) == "ping");
  CHECK(praetor::message_type_name(typeid(praetor::actor_metrics)) == "actor_metrics");
  CHECK(praetor::message_type_name(typeid(int)) == "int");
  CHECK(praetor::message_type_name(typeid(std::vector<metrics_test::ping>)).starts_with("vector<"));
}
