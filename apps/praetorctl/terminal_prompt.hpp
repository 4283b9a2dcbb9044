// operator_prompt over a pair of streams (std::cin / std::cout in praetorctl), with click's
// conventions: "text [default]: " and "text [y/N]: ", an empty answer takes the default, an
// unclear confirmation says "Error: invalid input" and asks again, end of input aborts.
// Threads: the owner of the streams.
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "apps/praetorctl/failover_plan.hpp"

namespace praetor::ctl {

class terminal_prompt final : public operator_prompt {
 public:
  terminal_prompt(std::istream& in, std::ostream& out) : in_(in), out_(out) {}
  std::optional<std::string> ask(const std::string& text,
                                 const std::string& default_value) override;
  std::optional<bool> confirm(const std::string& text) override;
  // click.prompt without a default: shows "<text>: " and asks again while the answer is
  // empty; nullopt when input ended.
  std::optional<std::string> ask_required(const std::string& text);

 private:
  std::istream& in_;
  std::ostream& out_;
};

// click.confirm's reading of an answer: y/yes -> true, n/no -> false (any case, surrounding
// blanks ignored), "" -> false (the default); nullopt for anything else.
std::optional<bool> confirm_answer(std::string answer);

}  // namespace praetor::ctl
