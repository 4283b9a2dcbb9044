#include "actors/ha/sync_replication.hpp"

#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>
#include <cctype>
#include <optional>

#include "actors/ha/quorum_commit.hpp"

namespace praetor::ha {
namespace {

using boost::algorithm::iequals;

bool plain_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  });
}

std::string quoted_name(const std::string& name) {
  if (name == "*" || plain_identifier(name)) return name;
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// synchronous_standby_names' tokens (PostgreSQL's syncrep grammar, as far as Patroni reads it).
struct token {
  enum kind { word, number, quoted, star, comma, open, close } k;
  std::string text;
};

std::optional<std::vector<token>> tokenize(std::string_view v) {
  std::vector<token> out;
  std::size_t i = 0;
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  while (i < v.size()) {
    char c = v[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      auto start = i;
      while (i < v.size() && is_word(v[i])) ++i;
      out.push_back({token::word, std::string(v.substr(start, i - start))});
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      auto start = i;
      while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
      out.push_back({token::number, std::string(v.substr(start, i - start))});
    } else if (c == '"') {
      std::string name;
      ++i;
      for (;;) {
        if (i >= v.size()) return std::nullopt;  // unterminated
        if (v[i] == '"' && i + 1 < v.size() && v[i + 1] == '"') {
          name += '"';
          i += 2;
        } else if (v[i] == '"') {
          ++i;
          break;
        } else {
          name += v[i++];
        }
      }
      if (name.empty()) return std::nullopt;
      out.push_back({token::quoted, std::move(name)});
    } else if (c == '*' || c == ',' || c == '(' || c == ')') {
      out.push_back({c == '*'   ? token::star
                     : c == ',' ? token::comma
                     : c == '(' ? token::open
                                : token::close,
                     std::string(1, c)});
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const auto& n : names) out += (out.size() > 1 ? ", '" : "'") + n + "'";
  return out + "]";
}

const member_record* member_named(const cluster_view& v, std::string_view name) {
  for (const auto& m : v.members)
    if (iequals(m.name, name)) return &m;
  return nullptr;
}

// The position of a standby that synchronous_commit waits for.
lsn waited_position(const replication_row& r, const std::string& synchronous_commit) {
  if (synchronous_commit == "remote_apply") return r.replay_lsn;
  if (synchronous_commit == "remote_write") return r.write_lsn;
  return r.flush_lsn;
}

// Sends a sync key write once: again only after the view moved past the version it was for,
// or after it failed (apply_event forgets it then).
void write_sync_key(const ha_inputs& in, builder& b, std::string leader,
                    std::vector<std::string> members, int quorum = -1) {
  write_sync w{std::move(leader), std::move(members), in.view->sync.version, quorum};
  if (b.memory().sync_write_sent == w) return;
  b.memory().sync_write_sent = w;
  b.send(std::move(w));
}

void request_ssn(builder& b, std::optional<std::string> value) {
  if (b.memory().ssn_requested == value) return;
  b.memory().ssn_requested = value;
  b.send(set_synchronous_standby_names{std::move(value)});
}

// synchronous_standby_names changed: the standbys it added count only from the primary's
// position at the change on, and names it dropped are confirmed no more.
void observe_ssn(const ha_inputs& in, ha_memory& mem) {
  if (in.pg.synchronous_standby_names == mem.ssn_seen) return;
  mem.ssn_seen = in.pg.synchronous_standby_names;
  mem.ssn_changed_at = in.pg.wal_position;
  auto listed_now = sync_standby_names_members(mem.ssn_seen);
  std::erase_if(mem.sync_confirmed,
                [&](const std::string& n) { return !contains_name(listed_now, n); });
}

bool disable_synchronous_replication(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  bool acted = false;
  if (!in.view->sync.empty()) {
    write_sync_key(in, b, "", {});
    b.say("Disabled synchronous replication");
    acted = true;
  }
  if (mem.ssn_requested) {
    request_ssn(b, std::nullopt);
    acted = true;
  }
  mem.sync_confirmed.clear();
  return acted;
}

}  // namespace

bool contains_name(const std::vector<std::string>& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return iequals(n, name); });
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::all_of(a.begin(), a.end(), [&](const auto& n) { return contains_name(b, n); }) &&
         std::all_of(b.begin(), b.end(), [&](const auto& n) { return contains_name(a, n); });
}

std::string format_sync_standby_names(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  if (names.size() == 1) return quoted_name(names.front());
  std::string out = std::to_string(names.size()) + " (";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + quoted_name(names[i]);
  return out + ")";
}

standby_names parse_sync_standby_names(std::string_view value) {
  auto tokens = tokenize(value);
  if (!tokens || tokens->empty()) return {};
  const auto& t = *tokens;
  standby_names out;
  out.count = 1;  // a bare list waits for its first name
  std::size_t begin = 0, end = t.size();
  const bool keyword =
      t[0].k == token::word && (iequals(t[0].text, "first") || iequals(t[0].text, "any"));
  if (t.size() >= 4 && keyword && t[1].k == token::number && t[2].k == token::open &&
      t.back().k == token::close) {
    out.any = iequals(t[0].text, "any");
    out.count = std::stoi(t[1].text);
    begin = 3;
    --end;
  } else if (t.size() >= 3 && t[0].k == token::number && t[1].k == token::open &&
             t.back().k == token::close) {
    out.count = std::stoi(t[0].text);
    begin = 2;
    --end;
  }
  for (std::size_t i = begin; i < end; ++i) {
    bool name_expected = (i - begin) % 2 == 0;
    if (name_expected) {
      if (t[i].k != token::word && t[i].k != token::quoted && t[i].k != token::star) return {};
      out.names.push_back(t[i].text);
    } else if (t[i].k != token::comma || i + 1 == end) {
      return {};
    }
  }
  if (out.names.empty()) return {};
  return out;
}

std::vector<std::string> sync_standby_names_members(std::string_view value) {
  return parse_sync_standby_names(value).names;
}

std::string format_quorum_standby_names(int count, std::vector<std::string> names) {
  if (names.empty() || count <= 0) return "";
  // Sorted as quoted, as Patroni 4 writes it.
  for (auto& n : names) n = quoted_name(n);
  std::sort(names.begin(), names.end());
  std::string out = "ANY " + std::to_string(count) + " (";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + names[i];
  return out + ")";
}

bool sync_limits_promotion(const ha_inputs& in) {
  return in.settings.synchronous_mode && in.view && !in.view->sync.empty();
}

std::vector<sync_candidate> sync_candidates(const ha_inputs& in) {
  std::vector<const replication_row*> rows;
  for (const auto& r : in.pg.replication)
    if (waited_position(r, in.pg.synchronous_commit).value != 0) rows.push_back(&r);
  // The synchronous ones first, then the most advanced (Patroni sorts by both, descending).
  std::stable_sort(rows.begin(), rows.end(), [&](const auto* a, const auto* b) {
    auto pa = waited_position(*a, in.pg.synchronous_commit);
    auto pb = waited_position(*b, in.pg.synchronous_commit);
    return std::tie(a->sync_state, pa) > std::tie(b->sync_state, pb);
  });
  std::vector<sync_candidate> standbys;
  for (const auto* r : rows) {
    const auto* m = member_named(*in.view, r->application_name);
    if (m && m->state == "running" && !m->nosync())
      standbys.push_back(
          {m->name, r->sync_state, waited_position(*r, in.pg.synchronous_commit), m->nofailover()});
  }
  lsn most_advanced = in.pg.wal_position;
  if (standbys.size() > 1)
    most_advanced =
        std::max_element(standbys.begin(), standbys.end(), [](const auto& a, const auto& b) {
          return a.position < b.position;
        })->position;
  if (in.settings.maximum_lag_on_syncnode > 0)
    std::erase_if(standbys, [&](const sync_candidate& s) {
      return static_cast<std::int64_t>(most_advanced.value - s.position.value) >
             in.settings.maximum_lag_on_syncnode;
    });
  std::stable_sort(standbys.begin(), standbys.end(),
                   [](const auto& a, const auto& b) { return !a.nofailover && b.nofailover; });
  return standbys;
}

sync_choice choose_sync_standbys(const ha_inputs& in, std::vector<std::string>& confirmed,
                                 lsn changed_at) {
  const auto& ssn_members = sync_standby_names_members(in.pg.synchronous_standby_names);
  const std::size_t wanted = in.pg.server_version && in.pg.server_version < 90600
                                 ? 1
                                 : static_cast<std::size_t>(in.settings.synchronous_node_count);
  sync_choice out;
  for (const auto& s : sync_candidates(in)) {
    if (!contains_name(confirmed, s.name) && contains_name(ssn_members, s.name) &&
        (in.view->sync.names_standby(s.name) ||
         (s.sync_state == "sync" && s.position >= changed_at)))
      confirmed.push_back(s.name);
    out.picked.push_back(s.name);
    if (s.sync_state == "sync" && contains_name(confirmed, s.name)) out.allowed.push_back(s.name);
    if (out.picked.size() >= wanted) break;
  }
  return out;
}

namespace {

// Quorum commit (quorum_commit.hpp): one step a decision, the key by compare-and-set.
bool keep_quorum_replication(const ha_inputs& in, builder& b) {
  auto& mem = b.memory();
  const auto& key = in.view->sync;
  observe_ssn(in, mem);
  if (key.leader != me(in)) {
    write_sync_key(in, b, me(in), {}, 0);
    b.say(key.empty() ? "Enabling quorum commit: the sync key names me as its leader"
                      : "Inconsistent state of the sync key: leader '" + key.leader +
                            "' is not me; writing it with no voters");
    return true;
  }
  std::vector<std::string> active, caught_up;
  for (const auto& s : sync_candidates(in)) {
    active.push_back(s.name);
    if (s.position >= mem.ssn_changed_at) caught_up.push_back(s.name);
  }
  const quorum_state now{key.members, key.quorum,
                         parse_sync_standby_names(in.pg.synchronous_standby_names)};
  const auto step = next_quorum_step(now, active, in.settings.synchronous_node_count,
                                     in.settings.synchronous_mode_strict, caught_up);
  switch (step.what) {
    case quorum_step::kind::steady:
      return false;
    case quorum_step::kind::set_standby_names:
      request_ssn(b, step.names == std::vector<std::string>{"*"}
                         ? "*"
                         : format_quorum_standby_names(step.num, step.names));
      break;
    case quorum_step::kind::write_key:
      write_sync_key(in, b, me(in), step.names, step.num);
      break;
    case quorum_step::kind::wait:
      break;
  }
  b.say(step.why);
  return true;
}

}  // namespace

bool keep_synchronous_replication(const ha_inputs& in, builder& b) {
  if (!in.settings.synchronous_mode) return disable_synchronous_replication(in, b);
  if (in.settings.synchronous_quorum) return keep_quorum_replication(in, b);
  auto& mem = b.memory();
  const auto& key = in.view->sync;
  observe_ssn(in, mem);
  auto choice = choose_sync_standbys(in, mem.sync_confirmed, mem.ssn_changed_at);
  const auto current = key.empty() ? std::vector<std::string>{} : key.members;
  auto wanted_ssn = choice.picked;
  if (wanted_ssn.empty() && in.settings.synchronous_mode_strict) wanted_ssn = {"*"};
  const bool ssn_in_place =
      same_names(sync_standby_names_members(in.pg.synchronous_standby_names), wanted_ssn);
  if (same_names(choice.picked, current) && ssn_in_place) return false;

  // 1. Whoever leaves goes from the sync key first, while PostgreSQL still waits for it.
  std::vector<std::string> common;
  for (const auto& n : current)
    if (contains_name(choice.allowed, n)) common.push_back(n);
  if (!same_names(common, current)) {
    write_sync_key(in, b, me(in), common);
    b.say("Updating synchronous privilege temporarily from " + listed(current) + " to " +
          listed(common));
    return true;
  }
  // 2. Then PostgreSQL waits for the standbys chosen now.
  if (!ssn_in_place) {
    request_ssn(b, format_sync_standby_names(wanted_ssn));
    b.say(std::string(choice.picked.empty() && in.settings.synchronous_mode_strict
                          ? "No standbys available! "
                          : "") +
          "Assigning synchronous standby status to " + listed(wanted_ssn));
    return true;
  }
  // 3. Whoever PostgreSQL confirmed joins the sync key.
  if (!choice.allowed.empty() && !same_names(choice.allowed, current)) {
    if (!key.empty() && key.leader != me(in)) {
      b.say("Synchronous replication key updated by someone else (leader '" + key.leader + "')");
      return true;
    }
    write_sync_key(in, b, me(in), choice.allowed);
    b.say("Synchronous standby status assigned to " + listed(choice.allowed));
    return true;
  }
  b.say("waiting for " + listed(choice.picked) + " to become synchronous");
  return true;
}

bool sync_key_ready_for_promotion(const ha_inputs& in, builder& b) {
  if (!in.settings.synchronous_mode) return true;
  // No standby is synchronous for the new primary until it has picked and confirmed one.
  request_ssn(b, in.settings.synchronous_mode_strict ? "*" : "");
  auto& mem = b.memory();
  mem.sync_confirmed.clear();
  mem.ssn_seen.clear();
  const auto& key = in.view->sync;
  if (key.leader == me(in) && key.members.empty()) return true;
  write_sync_key(in, b, me(in), {}, in.settings.synchronous_quorum ? 0 : -1);
  b.say("Postponing promotion until the sync key names me as its leader");
  return false;
}

}  // namespace praetor::ha
