#include "backends/postgres/controldata.hpp"

#include <sstream>

#include "backends/postgres/files_render.hpp"

namespace praetor::pg {

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
