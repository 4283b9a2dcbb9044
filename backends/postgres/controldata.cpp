#include "backends/postgres/controldata.hpp"

#include <sstream>

#include "backends/postgres/files_render.hpp"

namespace praetor::pg {

std::map<std::string, std::int64_t> raised_for_recovery(const postgres_settings& s,
                                                        const controldata& cd) {
  static const std::pair<const char*, const char*> mapping[] = {
      {"max_connections", "max_connections setting"},
      {"max_prepared_transactions", "max_prepared_xacts setting"},
      {"max_locks_per_transaction", "max_locks_per_xact setting"},
      {"max_worker_processes", "max_worker_processes setting"},
      {"max_wal_senders", "max_wal_senders setting"}};
  auto number = [](const std::string& text) -> std::optional<std::int64_t> {
    try {
      std::size_t used = 0;
      auto n = std::stoll(text, &used);
      return used == text.size() ? std::optional<std::int64_t>(n) : std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  const auto params = effective_parameters(s);
  std::map<std::string, std::int64_t> out;
  for (const auto& [name, field] : mapping) {
    auto it = cd.fields.find(field);
    auto p = params.find(name);
    if (it == cd.fields.end() || p == params.end()) continue;
    auto wanted = number(p->second), written = number(it->second);
    if (wanted && written && *written > *wanted) out[name] = *written;
  }
  return out;
}

controldata parse_controldata(const std::string& text) {
  controldata c;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    value = first == std::string::npos ? "" : value.substr(first);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
    c.fields[name] = value;
  }
  auto get = [&c](const char* k) {
    auto it = c.fields.find(k);
    return it == c.fields.end() ? std::string() : it->second;
  };
  c.sysid = get("Database system identifier");
  c.cluster_state = get("Database cluster state");
  try {
    std::string tli = get("Latest checkpoint's TimeLineID");
    if (!tli.empty()) c.tl.value = static_cast<std::uint32_t>(std::stoul(tli));
  } catch (...) {
  }
  if (auto l = lsn::parse(get("Latest checkpoint location"))) c.checkpoint = *l;
  return c;
}

std::optional<controldata> read_controldata(const postgres_settings& s, const run_as_user& user,
                                            std::string& error) {
  auto r = run_command({binary(s, "pg_controldata"), "-D", s.data_dir}, std::chrono::seconds(30),
                       user, {"LANG=C", "LC_ALL=C"});
  if (!r.ok()) {
    error = "pg_controldata on " + s.data_dir + " failed (exit " + std::to_string(r.exit_code) +
            ")" + (r.error.empty() ? "" : ": " + r.error) + ": " + r.tail();
    return std::nullopt;
  }
  return parse_controldata(r.output);
}

}  // namespace praetor::pg
