#include "apps/praetor/logging.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace praetor::app {

namespace {
spdlog::level::level_enum level_of(std::string level) {
  for (auto& c : level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (level == "warning") level = "warn";
  if (level == "critical" || level == "fatal") level = "critical";
  return spdlog::level::from_str(level);  // unknown names give "off": validate() refuses them
}
}  // namespace

std::string setup_logging(const config::log_config& log, const std::string& member_name) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (log.dir.empty())
      logger = spdlog::stderr_logger_mt("praetor");
    else
      logger = spdlog::rotating_logger_mt("praetor", log.dir + "/praetor.log",
                                          static_cast<std::size_t>(log.file_size),
                                          static_cast<std::size_t>(log.file_num));
  } catch (const spdlog::spdlog_ex& e) {
    return "cannot open the log in " + log.dir + ": " + e.what() +
           "; check that log.dir exists and is writable";
  }
  // Patroni's "%(asctime)s %(levelname)s: %(message)s", with the member name for clusters on
  // one machine.
  logger->set_pattern("%Y-%m-%d %H:%M:%S,%e %^%l%$: [" + member_name + "] %v");
  logger->set_level(level_of(log.level.empty() ? "info" : log.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return {};
}

}  // namespace praetor::app
