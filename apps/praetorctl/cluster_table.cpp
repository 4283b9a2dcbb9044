#include "apps/praetorctl/cluster_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "actors/rest_frontend/snapshot_facts.hpp"
#include "apps/praetorctl/failover_plan.hpp"
#include "apps/praetorctl/text_table.hpp"
#include "apps/praetorctl/yaml_text.hpp"
#include "messages/cluster_flags.hpp"
#include "messages/iso_time.hpp"

namespace praetor::ctl {
namespace json = boost::json;

namespace {

// Python's repr() of a float, as json.dumps writes it.
std::string python_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  auto text = fmt::format("{}", d);
  return text.find_first_of(".e") == std::string::npos ? text + ".0" : text;
}

// A JSON scalar as Python's str() and format() show it (strings bare).
std::string python_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "True" : "False";
  if (v.is_null()) return "None";
  if (v.is_double()) return python_float(v.get_double());
  return json::serialize(v);
}

// "<schedule>[ if version < X]", as output_members writes the member's scheduled_restart.
std::string scheduled_restart_text(const json::object& s) {
  if (s.empty()) return "";
  const auto* schedule = s.if_contains("schedule");
  std::string text = schedule ? python_text(*schedule) : "";
  if (const auto* version = s.if_contains("postgres_version"))
    text += " if version < " + python_text(*version);
  return text;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<member_row> member_rows(const cluster_view& v) {
  const bool standby = is_standby_cluster(v);
  // patronictl's all_members are the members with a host; they decide whether Host shows the
  // port: some member off 5432, or two on one host.
  std::set<std::string> hosts;
  std::size_t with_host = 0;
  bool odd_port = false;
  for (const auto& m : v.members) {
    if (m.host().empty()) continue;
    ++with_host;
    hosts.insert(lower(m.host()));
    odd_port = odd_port || m.port() != 5432;
  }
  const bool append_port = odd_port || hosts.size() < with_host;

  // Patroni 4's name for the sync key's members under `synchronous_mode: quorum`.
  const bool quorum_commit = rest::is_quorum_commit_mode(v);
  std::vector<member_row> rows;
  for (const auto& m : v.members) {
    member_row r;
    r.member = m.name;
    r.host = lower(m.host());  // urlparse's hostname is lower case
    if (append_port && !r.host.empty()) r.host += ":" + std::to_string(m.port());
    r.leader = v.leader && v.leader->name == m.name;
    // cluster_as_json's role, title-cased: a non-leader the sync key names (exactly, as Python's
    // `in`) is a sync standby whether or not synchronous mode is on.
    const auto& sync = v.sync.members;
    const bool sync_standby = std::find(sync.begin(), sync.end(), m.name) != sync.end();
    r.role = r.leader       ? (standby ? "Standby Leader" : "Leader")
             : sync_standby ? (quorum_commit ? "Quorum Standby" : "Sync Standby")
                            : "Replica";
    r.state = m.state;  // 3.0.2 shows no replication_state ("streaming" is 3.0.4's)
    if (m.tl) r.timeline = m.tl->value;
    if (!r.leader && m.xlog_location) {
      auto optime = v.optime.value;
      auto pos = m.xlog_location->value;
      auto lag_bytes = optime >= pos ? optime - pos : 0;
      // Python's round(): halves to the even neighbour, as nearbyint in the default mode
      r.lag_mb = static_cast<std::int64_t>(
          std::nearbyint(static_cast<double>(lag_bytes) / 1024.0 / 1024.0));
    }
    r.pending_restart = m.pending_restart;
    r.scheduled_restart = scheduled_restart_text(m.scheduled_restart);
    r.tags = m.tags;
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<member_row> topology_rows(const cluster_view& v) {
  auto rows = member_rows(v);
  std::set<std::string> replicas;
  std::optional<std::string> leader;  // nullopt: the replicas hang under no one
  for (const auto& r : rows) {
    if (r.leader)
      leader = r.member;
    else
      replicas.insert(r.member);
  }

  // parent name (nullopt = none) -> its replicas' rows, in name order
  std::map<std::optional<std::string>, std::vector<const member_row*>> children;
  for (const auto& r : rows) {
    if (r.leader) continue;
    std::optional<std::string> parent = leader;
    if (auto* from = r.tags.if_contains("replicatefrom"); from && from->is_string()) {
      std::string name(from->get_string());
      if (name != r.member && replicas.contains(name)) parent = name;
    }
    children[parent].push_back(&r);
  }

  std::vector<member_row> out;
  std::function<void(const std::optional<std::string>&, std::size_t)> below =
      [&](const std::optional<std::string>& parent, std::size_t level) {
        auto it = children.find(parent);
        if (it == children.end()) return;
        for (const auto* r : it->second) {
          member_row shown = *r;
          shown.member = std::string((level - 1) * 2, ' ') + "+ " + r->member;
          out.push_back(std::move(shown));
          below(r->member, level + 1);
        }
      };
  if (leader)
    for (const auto& r : rows)
      if (r.member == *leader) out.push_back(r);
  below(leader, 1);
  return out;
}

namespace {

// The failover key's scheduled_at as patronictl shows it: dateutil's reading of it, written
// back by Python's isoformat() ("2026-11-27T13:00:00.139400+02:00"; no offset when the text
// had none). Text that is not ISO 8601 is shown as it is.
std::string python_isoformat(const std::string& text) {
  auto f = read_iso_fields(text);
  if (!f) return text;
  auto out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", f->year, f->month, f->day, f->hour,
                         f->minute, f->second);
  if (f->microsecond != 0) out += fmt::format(".{:06}", f->microsecond);
  if (f->offset_minutes) {
    const int off = *f->offset_minutes;  // dateutil reads -00:00 as UTC too
    out +=
        fmt::format("{}{:02}:{:02}", off < 0 ? '-' : '+', std::abs(off) / 60, std::abs(off) % 60);
  }
  return out;
}

// A string as json.dumps writes it (ensure_ascii): non-ASCII as \uXXXX, lower-case hex.
void python_json_string(std::string& out, std::string_view s) {
  out += '"';
  auto escape = [&](std::uint32_t unit) { out += fmt::format("\\u{:04x}", unit); };
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20)
            escape(c);
          else
            out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // one UTF-8 sequence; Boost.JSON only holds valid ones
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    std::uint32_t code = c & (0x3F >> (length - 1));
    for (std::size_t k = 1; k < length && i + k < s.size(); ++k)
      code = (code << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += length;
    if (code > 0xFFFF) {
      code -= 0x10000;
      escape(0xD800 + (code >> 10));
      escape(0xDC00 + (code & 0x3FF));
    } else {
      escape(code);
    }
  }
  out += '"';
}

// json.dumps's default text: ", " between items, ": " after keys, keys in their order.
void python_json(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      break;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case json::kind::int64:
      out += std::to_string(v.get_int64());
      break;
    case json::kind::uint64:
      out += std::to_string(v.get_uint64());
      break;
    case json::kind::double_:
      out += python_float(v.get_double());
      break;
    case json::kind::string:
      python_json_string(out, v.get_string());
      break;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ", ";
        first = false;
        python_json(out, item);
      }
      out += ']';
      break;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.get_object()) {
        if (!first) out += ", ";
        first = false;
        python_json_string(out, key);
        out += ": ";
        python_json(out, item);
      }
      out += '}';
      break;
    }
  }
}

enum class tag_style { block, flow };

// output_members' columns: the fixed ones, then each optional one when `extended` or when a
// member with a host has it.
std::vector<std::string> columns_of(const std::vector<member_row>& rows, bool extended) {
  std::vector<std::string> columns = {"Cluster", "Member", "Host",     "Role",
                                      "State",   "TL",     "Lag in MB"};
  auto any = [&](auto has) {
    return std::any_of(rows.begin(), rows.end(),
                       [&](const member_row& r) { return !r.host.empty() && has(r); });
  };
  if (extended || any([](const member_row& r) { return r.pending_restart; }))
    columns.push_back("Pending restart");
  if (extended || any([](const member_row& r) { return !r.scheduled_restart.empty(); }))
    columns.push_back("Scheduled restart");
  if (extended || any([](const member_row& r) { return !r.tags.empty(); }))
    columns.push_back("Tags");
  return columns;
}

// One cell as the table shows it ("" for none).
std::string cell_text(const std::string& cluster, const member_row& r, const std::string& column,
                      tag_style style) {
  if (column == "Cluster") return cluster;
  if (column == "Member") return r.member;
  if (column == "Host") return r.host;
  if (column == "Role") return r.role;
  if (column == "State") return r.state;
  if (column == "TL") return r.timeline ? std::to_string(*r.timeline) : "";
  if (column == "Lag in MB") {
    if (r.leader) return "";
    return r.lag_mb ? std::to_string(*r.lag_mb) : "unknown";
  }
  if (column == "Pending restart") return r.pending_restart ? "*" : "";
  if (column == "Scheduled restart") return r.scheduled_restart;
  if (r.tags.empty()) return "";
  return style == tag_style::block ? to_yaml_text(r.tags) : to_flow_yaml(r.tags);
}

// One cell as a JSON value; null for an empty cell (left out).
json::value cell_json(const std::string& cluster, const member_row& r, const std::string& column) {
  if (column == "TL") return r.timeline ? json::value(*r.timeline) : nullptr;
  if (column == "Lag in MB") {
    if (r.leader) return nullptr;
    return r.lag_mb ? json::value(*r.lag_mb) : json::value("unknown");
  }
  if (column == "Tags") return r.tags.empty() ? json::value(nullptr) : json::value(r.tags);
  auto text = cell_text(cluster, r, column, tag_style::flow);
  return text.empty() ? json::value(nullptr) : json::value(text);
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto nl = s.find('\n'); nl != std::string::npos; nl = s.find('\n', start)) {
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  lines.push_back(s.substr(start));
  return lines;
}

// render_pretty, with PrettyTable's hrules=ALL when a cell has several lines (as print_output
// chooses): each row as tall as its tallest cell, top-aligned, and a rule after every row.
std::string framed(const text_table& t) {
  bool multi_line = std::any_of(t.rows.begin(), t.rows.end(), [](const auto& row) {
    return std::any_of(row.begin(), row.end(),
                       [](const auto& cell) { return cell.find('\n') != std::string::npos; });
  });
  if (!multi_line) return render_pretty(t);

  text_table physical = t;
  physical.rows.clear();
  std::vector<std::size_t> heights;
  for (const auto& row : t.rows) {
    std::vector<std::vector<std::string>> cells;
    std::size_t height = 1;
    for (const auto& cell : row) {
      cells.push_back(split_lines(cell));
      height = std::max(height, cells.back().size());
    }
    for (std::size_t line = 0; line < height; ++line) {
      std::vector<std::string> out;
      for (const auto& c : cells) out.push_back(line < c.size() ? c[line] : "");
      physical.rows.push_back(std::move(out));
    }
    heights.push_back(height);
  }
  // render_pretty's lines: top rule, header, rule, the physical rows, bottom rule
  auto lines = split_lines(render_pretty(physical));
  const auto& rule = lines[2];
  std::string out = lines[0] + "\n" + lines[1] + "\n" + rule + "\n";
  std::size_t next = 3;
  for (auto height : heights) {
    for (std::size_t k = 0; k < height; ++k) out += lines[next++] + "\n";
    out += rule + "\n";
  }
  return out;
}

std::string render_pretty_rows(const std::string& cluster, const cluster_view& v,
                               const std::vector<member_row>& rows, bool extended,
                               tag_style style) {
  auto columns = columns_of(rows, extended);
  text_table t;
  t.columns.assign(columns.begin() + 1, columns.end());  // the title names the cluster
  t.right_aligned = {"TL", "Lag in MB"};
  for (const auto& r : rows) {
    t.rows.emplace_back();
    for (const auto& c : t.columns) t.rows.back().push_back(cell_text(cluster, r, c, style));
  }
  t.title = " Cluster: " + cluster + " ";
  return framed(t) + service_lines(v);
}

json::array rows_json(const std::string& cluster, const cluster_view& v, bool extended) {
  auto rows = member_rows(v);
  auto columns = columns_of(rows, extended);
  json::array a;
  for (const auto& r : rows) {
    json::object o;
    for (const auto& c : columns)
      if (auto cell = cell_json(cluster, r, c); !cell.is_null()) o[c] = std::move(cell);
    a.push_back(std::move(o));
  }
  return a;
}

}  // namespace

std::string service_lines(const cluster_view& v) {
  std::vector<std::string> info;
  if (is_paused(v)) info.push_back("Maintenance mode: on");
  // (a failover key naming neither leader nor candidate is no request, as Patroni's Failover
  // is false then; failover_from_znode gives none)
  const auto& f = v.failover;
  if (f && !f->scheduled_at.empty()) {
    auto text = "Switchover scheduled at: " + python_isoformat(f->scheduled_at);
    if (!f->leader.empty()) text += fmt::format("\n{:>24}: {}", "from", f->leader);
    if (!f->member.empty()) text += fmt::format("\n{:>24}: {}", "to", f->member);
    info.push_back(std::move(text));
  }
  std::string out;
  for (const auto& line : info) out += " " + line + "\n";
  return out;
}

std::string render_table(const std::string& cluster, const cluster_view& v, bool extended) {
  return render_pretty_rows(cluster, v, member_rows(v), extended, tag_style::block);
}

std::string render_topology(const std::string& cluster, const cluster_view& v, bool extended) {
  return render_pretty_rows(cluster, v, topology_rows(v), extended, tag_style::flow);
}

std::string render_tsv(const std::string& cluster, const cluster_view& v, bool extended) {
  auto rows = member_rows(v);
  text_table t;
  t.columns = columns_of(rows, extended);
  for (const auto& r : rows) {
    t.rows.emplace_back();
    for (const auto& c : t.columns)
      t.rows.back().push_back(cell_text(cluster, r, c, tag_style::flow));
  }
  return render_tsv(t);
}

std::string render_json(const std::string& cluster, const cluster_view& v, bool extended) {
  std::string out;
  python_json(out, rows_json(cluster, v, extended));
  return out + "\n";
}

std::string render_yaml(const std::string& cluster, const cluster_view& v, bool extended) {
  // click.echo adds a newline to safe_dump's text, which ends with one already
  return to_yaml(rows_json(cluster, v, extended)) + "\n";
}

}  // namespace praetor::ctl
