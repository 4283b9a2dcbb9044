#include "actors/ha/publication.hpp"

#include <algorithm>

#include "messages/iso_time.hpp"

namespace praetor::ha {

namespace {
std::string member_role(const pg_status& pg) {
  if (pg.data_dir_empty) return "uninitialized";
  switch (pg.role) {
    case pg_role::primary:
      return "master";
    case pg_role::replica:
      return "replica";
    case pg_role::unknown:
      break;
  }
  return "replica";
}

bool pg_reports_wal(const pg_status& pg) {
  return pg.state == "running" || pg.state == "starting" || pg.state == "restarting";
}

// The fields peers must see without delay; WAL position and timeline may wait a loop.
bool same_but_position(member_record a, member_record b) {
  a.xlog_location = b.xlog_location;
  a.tl = b.tl;
  return a == b;
}
}  // namespace

member_record build_member_record(const ha_settings& s, const pg_status& pg) {
  member_record m;
  m.name = s.name;
  m.conn_url = s.conn_url;
  m.api_url = s.api_url;
  m.state = pg.state;
  m.role = member_role(pg);
  m.tags = s.tags;
  m.pause = s.paused;
  m.pending_restart = pg.pending_restart;
  m.scheduled_restart = pg.scheduled_restart;
  if (pg_reports_wal(pg) && pg.role != pg_role::unknown) m.xlog_location = pg.wal_position;
  if (pg.tl.value != 0) m.tl = pg.tl;
  // Patroni's leader says so until the first checkpoint after its promotion, which a member
  // that would rewind from it waits for.
  if (pg.state == "running" && pg.role == pg_role::primary && pg.checkpoint_tl.value != 0 &&
      pg.checkpoint_tl < pg.tl)
    m.checkpoint_after_promote = false;
  if (pg.state == "running" && pg.role == pg_role::replica)
    m.replication_state = pg.streaming ? "streaming" : "in archive recovery";
  return m;
}

bool loop_due(const ha_settings& s, std::int64_t last_ms, std::int64_t now_ms) {
  return now_ms - last_ms >= static_cast<std::int64_t>(s.loop_wait) * 1000;
}

std::optional<publish_member> member_publication(const ha_inputs& in, const member_record& rec) {
  const auto& mem = in.memory;
  // Missing from a view loaded after our last write: the record died with a session.
  bool missing_in_view = in.view && !in.view->find_member(in.settings.name) &&
                         in.view->loaded_at_ms > mem.published_member_ms;
  if (!mem.published_member || missing_in_view) return publish_member{rec};
  if (*mem.published_member == rec) return std::nullopt;
  if (!same_but_position(*mem.published_member, rec)) return publish_member{rec};
  if (loop_due(in.settings, mem.published_member_ms, in.now_ms)) return publish_member{rec};
  return std::nullopt;
}

std::optional<write_history> history_publication(const ha_inputs& in) {
  const auto tl = in.pg.tl.value;
  if (!in.view || tl == 0) return std::nullopt;
  const auto& known = in.view->history;
  if (tl == 1) {
    if (known.empty()) return std::nullopt;
    return write_history{};
  }
  if (!known.empty() && history_number(known.back(), 0) == std::uint64_t{tl} - 1 &&
      known.back().as_array().size() == 5)
    return std::nullopt;
  const auto& lines = in.pg.history;
  if (lines.empty() || lines.back().parent.value + 1 != tl) return std::nullopt;

  boost::json::array out;
  for (const auto& l : lines) {
    boost::json::array line{l.parent.value, l.switchpoint.value, l.reason};
    if (&l == &lines.back()) {
      line.emplace_back(format_iso_time(in.pg.history_mtime_ms));
      line.emplace_back(in.settings.name);
    } else {
      for (const auto& k : known) {
        const auto* old = k.if_array();
        if (!old || old->size() < 4 || history_number(k, 0) != std::uint64_t{l.parent.value} ||
            history_number(k, 1) != l.switchpoint.value)
          continue;
        for (std::size_t i = 3; i < old->size() && i < 5; ++i) line.push_back((*old)[i]);
        break;
      }
    }
    out.emplace_back(std::move(line));
  }
  std::int64_t keep = 0;
  if (in.view->config)
    if (const auto* m = in.view->config->if_contains("max_timelines_history"); m && m->is_int64())
      keep = m->get_int64();
  if (keep > 0 && out.size() > static_cast<std::size_t>(keep))
    out.erase(out.begin(), out.end() - keep);
  return write_history{std::move(out)};
}

}  // namespace praetor::ha
