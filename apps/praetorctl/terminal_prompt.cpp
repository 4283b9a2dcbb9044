#include "apps/praetorctl/terminal_prompt.hpp"

#include <algorithm>
#include <cctype>

namespace praetor::ctl {

std::optional<std::string> terminal_prompt::ask(const std::string& text,
                                                const std::string& default_value) {
  out_ << text << " [" << default_value << "]: " << std::flush;
  std::string line;
  if (!std::getline(in_, line)) return std::nullopt;
  return line.empty() ? default_value : line;
}

std::optional<std::string> terminal_prompt::ask_required(const std::string& text) {
  while (true) {
    out_ << text << ": " << std::flush;
    std::string line;
    if (!std::getline(in_, line)) return std::nullopt;
    if (!line.empty()) return line;
  }
}

std::optional<bool> terminal_prompt::confirm(const std::string& text) {
  while (true) {
    out_ << text << " [y/N]: " << std::flush;
    std::string line;
    if (!std::getline(in_, line)) return std::nullopt;
    if (auto yes = confirm_answer(line)) return yes;
    out_ << "Error: invalid input\n";
  }
}

std::optional<bool> confirm_answer(std::string answer) {
  auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
  answer.erase(answer.begin(), std::find_if_not(answer.begin(), answer.end(), blank));
  answer.erase(std::find_if_not(answer.rbegin(), answer.rend(), blank).base(), answer.end());
  std::transform(answer.begin(), answer.end(), answer.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (answer == "y" || answer == "yes") return true;
  if (answer == "n" || answer == "no" || answer.empty()) return false;
  return std::nullopt;
}

}  // namespace praetor::ctl
