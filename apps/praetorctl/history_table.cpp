#include "apps/praetorctl/history_table.hpp"

#include <boost/json.hpp>

#include "apps/praetorctl/yaml_text.hpp"

namespace praetor::ctl {
namespace json = boost::json;

namespace {

const std::vector<std::string> columns = {"TL", "LSN", "Reason", "Timestamp", "New Leader"};

// Python's str() of a cell: strings as they are, numbers in decimal.
std::string cell_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "None";
  if (v.is_bool()) return v.get_bool() ? "True" : "False";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  return json::serialize(v);
}

}  // namespace

json::array history_rows(const json::array& history) {
  json::array rows;
  for (const auto& entry : history) {
    if (!entry.is_array()) continue;
    json::array row;
    for (std::size_t c = 0; c < columns.size(); ++c)
      row.push_back(c < entry.get_array().size() ? entry.get_array()[c] : json::value(""));
    rows.push_back(std::move(row));
  }
  return rows;
}

text_table history_table(const json::array& history) {
  text_table t{columns, {}, {"TL", "LSN"}, ""};
  for (const auto& row : history_rows(history)) {
    std::vector<std::string> cells;
    for (const auto& v : row.get_array()) cells.push_back(cell_text(v));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

std::string render_history(const json::array& history, const std::string& format) {
  if (format == "pretty") return render_pretty(history_table(history));
  if (format == "tsv") return render_tsv(history_table(history));
  json::array objects;
  for (const auto& row : history_rows(history)) {
    json::object o;
    for (std::size_t c = 0; c < columns.size(); ++c) o[columns[c]] = row.get_array()[c];
    objects.push_back(std::move(o));
  }
  if (format == "json") return json::serialize(objects) + "\n";
  return to_yaml(objects) + "\n";  // click.echo adds a line after safe_dump's own
}

}  // namespace praetor::ctl
