// `praetorctl remove CLUSTER`: shows the cluster, then asks what patronictl 3.0.2 asks before
// deleting everything the DCS holds for it: the cluster's name again, the sentence
// "Yes I am aware", and, while a leader holds the lock, that leader's name. Any other answer
// refuses with patronictl's text; only then is <base> deleted, recursively.
// Threads: the main thread.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "apps/praetorctl/command_env.hpp"

namespace praetor::ctl {

// One question that wants a non-empty answer; nullopt when input ended.
using ask_function = std::function<std::optional<std::string>(const std::string& question)>;

struct removal_consent {
  bool given = false;
  bool aborted = false;  // input ended at a question ("Aborted!")
  std::string error;     // the refusal, when neither given nor aborted
};

// The questions, in patronictl's order and words. `leader` is the lock holder, "" for none.
// Pure apart from `ask`.
removal_consent ask_removal_consent(const std::string& cluster, const std::string& leader,
                                    const ask_function& ask);

// `format` (pretty, json or yaml) is that of the table shown first.
int run_remove(const command_env& env, const std::string& format);

}  // namespace praetor::ctl
