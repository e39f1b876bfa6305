# json_string TEXT — TEXT as a JSON string literal (quotes and backslashes escaped).
json_string() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}
