// An operator_prompt for tests: answers questions from a script and records them; an exhausted
// script is end of input. An empty answer to ask() takes the default; confirm() takes "y" as
// yes and anything else as no.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "apps/praetorctl/failover_plan.hpp"

namespace praetor::test {

class scripted_prompt final : public ctl::operator_prompt {
 public:
  explicit scripted_prompt(std::deque<std::string> answers = {}) : answers_(std::move(answers)) {}
  std::optional<std::string> ask(const std::string& text, const std::string& def) override {
    asked.push_back(text + " [" + def + "]");
    if (answers_.empty()) return std::nullopt;
    auto a = answers_.front();
    answers_.pop_front();
    return a.empty() ? def : a;
  }
  std::optional<bool> confirm(const std::string& text) override {
    asked.push_back(text);
    if (answers_.empty()) return std::nullopt;
    auto a = answers_.front();
    answers_.pop_front();
    return a == "y";
  }
  std::vector<std::string> asked;  // every question, ask()'s with " [default]"

 private:
  std::deque<std::string> answers_;
};

}  // namespace praetor::test
