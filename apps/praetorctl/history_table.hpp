// `praetorctl history`: the <base>/history key (docs/compatibility.md, "ZooKeeper layout and
// values": entries [parent_tl, switch_lsn, reason, timestamp, new_leader], the last two only when
// the leader knew them) in patronictl's columns TL, LSN, Reason, Timestamp, New Leader. Short
// entries are padded with "", longer ones cut to five, as patronictl pads them. Pure; any thread.
#pragma once

#include <boost/json/array.hpp>
#include <string>

#include "apps/praetorctl/text_table.hpp"

namespace praetor::ctl {

// The history as rows of five values (entries that are not arrays are skipped).
boost::json::array history_rows(const boost::json::array& history);

// The table (TL and LSN right-aligned), without a title.
text_table history_table(const boost::json::array& history);

// The history in `format`: pretty, tsv, json (a list of objects keyed by column) or yaml
// (the same list as YAML). REQUIRES: format is one of those.
std::string render_history(const boost::json::array& history, const std::string& format);

}  // namespace praetor::ctl
