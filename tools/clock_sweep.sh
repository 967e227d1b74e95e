#!/usr/bin/env bash
# The whole test suite with the wall clock moved to far dates, across midnight and a year's
# end, in time zones far from UTC: a test that depends on the day it runs fails here.
#   tools/clock_sweep.sh                 every moment below
#   tools/clock_sweep.sh 2031-02-28T23:57:00+00:00 Pacific/Kiritimati   one
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -ge 1 ]; then
  moments=("$1 ${2:-UTC}")
else
  moments=(
    "2031-02-28T23:57:00+00:00 Pacific/Kiritimati"  # UTC midnight during the run; UTC+14
    "2039-12-31T23:58:00+00:00 America/Adak"         # a year's end; UTC-10
    "2027-03-28T00:58:00+00:00 Europe/London"         # the clocks go forward at 01:00
  )
fi
failed=0
for moment in "${moments[@]}"; do
  read -r at zone <<<"$moment"
  echo "== the suite at $at, TZ=$zone"
  if ! TEST_CLOCK="$at" TZ="$zone" python -m pytest -q -p no:cacheprovider "${PYTEST_ARGS[@]:-}"; then
    failed=1
  fi
done
exit "$failed"
