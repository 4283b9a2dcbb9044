#include "config/dynamic_cache.hpp"

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace praetor::config {

std::string dynamic_cache_path(const std::string& data_dir) {
  return data_dir + "/patroni.dynamic.json";
}

std::optional<boost::json::object> read_dynamic_cache(const std::string& data_dir) {
  std::ifstream in(dynamic_cache_path(data_dir));
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(text.str(), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.get_object();
}

bool save_dynamic_cache(const std::string& data_dir, const boost::json::object& dynamic,
                        std::string& error) {
  std::error_code ec;
  if (data_dir.empty() || !std::filesystem::exists(data_dir + "/PG_VERSION", ec)) return false;
  const auto path = dynamic_cache_path(data_dir);
  const auto tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << boost::json::serialize(dynamic);
    out.close();
    if (!out) {
      error = "cannot write " + tmp + ": " + std::strerror(errno);
      return false;
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    error = "cannot rename " + tmp + " to " + path + ": " + ec.message();
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace praetor::config
