#include "backends/postgres/divergence.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace praetor::pg {

std::vector<history_entry> parse_timeline_history(const std::string& text) {
  std::vector<history_entry> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string tli, where, reason;
    if (!std::getline(fields, tli, '\t') || !std::getline(fields, where, '\t')) continue;
    std::getline(fields, reason);
    auto sw = lsn::parse(where);
    if (!sw || tli.empty() || tli.find_first_not_of("0123456789") != std::string::npos) continue;
    try {
      out.push_back({timeline{static_cast<std::uint32_t>(std::stoul(tli))}, *sw, reason});
    } catch (const std::exception&) {
    }
  }
  return out;
}

std::optional<timeline_history_file> read_timeline_history(const std::string& data_dir,
                                                           timeline tl) {
  char name[32];
  std::snprintf(name, sizeof name, "%08X.history", tl.value);
  auto path = std::filesystem::path(data_dir) / "pg_wal" / name;
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  timeline_history_file out;
  out.lines = parse_timeline_history(text.str());
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0)
    out.mtime_ms = std::int64_t{st.st_mtim.tv_sec} * 1000 + st.st_mtim.tv_nsec / 1'000'000;
  return out;
}

bool needs_crash_recovery(const controldata& cd) {
  return cd.cluster_state == "in production" || cd.cluster_state == "in crash recovery" ||
         cd.cluster_state == "shutting down";
}

std::optional<local_position> local_position_from(const controldata& cd) {
  auto field = [&cd](const char* k) {
    auto it = cd.fields.find(k);
    return it == cd.fields.end() ? std::string() : it->second;
  };
  std::string state = cd.cluster_state;
  if (state == "shut down in recovery" || state == "in archive recovery") {
    auto where = lsn::parse(field("Minimum recovery ending location"));
    std::uint32_t tli = 0;
    try {
      tli = static_cast<std::uint32_t>(std::stoul(field("Min recovery ending loc's timeline")));
    } catch (const std::exception&) {
    }
    if (where && where->value != 0 && tli != 0) return local_position{true, {tli}, *where};
    state = "shut down";  // it was a primary when it stopped
  }
  if (state == "shut down" && cd.tl.value != 0) return local_position{false, cd.tl, cd.checkpoint};
  return std::nullopt;
}

divergence_verdict check_divergence(const local_position& local, timeline upstream_tl,
                                    const std::vector<history_entry>& upstream_history) {
  auto tl = [](timeline t) { return std::to_string(t.value); };
  if (local.tl > upstream_tl)
    return {true,
            "local timeline " + tl(local.tl) + " is ahead of the upstream's " + tl(upstream_tl)};
  if (local.tl == upstream_tl) return {false, "same timeline " + tl(local.tl) + " as the upstream"};
  for (const auto& e : upstream_history) {
    if (e.parent == local.tl) {
      bool diverged =
          local.in_recovery ? local.position > e.switchpoint : local.position >= e.switchpoint;
      std::string where = std::string(local.in_recovery ? "replayed up to " : "checkpoint at ") +
                          local.position.to_string() + " on timeline " + tl(local.tl) +
                          ", the upstream's history branched off it at " +
                          e.switchpoint.to_string();
      return {diverged, diverged ? "diverged: " + where : "not diverged: " + where};
    }
    if (e.parent > local.tl)
      return {true, "the upstream's history skips local timeline " + tl(local.tl)};
  }
  return {true, "local timeline " + tl(local.tl) + " is not in the upstream's history"};
}

}  // namespace praetor::pg
