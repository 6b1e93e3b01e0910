# Helper of the ctest_fixtures project: `sh tool.sh ACTION STATE_DIR [NAME]`.
# The setups print KEY=VALUE lines: fanout exports them to the later setups and to the tests
# that require the fixture (ctest does not, so those see empty values there).
case "$1" in
  exit) exit 0 ;;
  setup_a) mkdir -p "$2" && echo a > "$2/a" && echo "SVC_A=alpha" ;;
  setup_b) test -f "$2/a" || { echo "setup_b: setup_a has not run"; exit 1; }
           echo b > "$2/b" && echo "SVC_B=beta:$SVC_A" ;;
  require) cat "$2/a" "$2/b" && echo "[$SVC_A] [$SVC_B]" > "$2/seen" ;;
  cleanup_a) test -f "$2/seen" || { echo "cleanup_a: svc_user has not run"; exit 1; }
             rm -f "$2/a" && echo "[$SVC_A] [$SVC_B]" > "$2/cleaned_a" ;;
  cleanup_b) test -f "$2/seen" || { echo "cleanup_b: svc_user has not run"; exit 1; }
             rm -f "$2/b" && echo "[$SVC_A] [$SVC_B]" > "$2/cleaned_b" ;;
  note) mkdir -p "$2" && echo noted > "$2/$3" ;;
  count) mkdir -p "$2" && echo run >> "$2/$3" ;;
  needs) test -f "$2/$3" || { echo "needs: $3 is missing"; exit 1; }
         echo noted > "$2/$4" ;;
  shared_cleanup) test -f "$2/db_user_ran" && test -f "$2/cache_user_ran" ||
                    { echo "shared_cleanup: a user has not run"; exit 1; }
                  echo run >> "$2/cleanup_runs" ;;
  *) echo "tool.sh: unknown action $1"; exit 2 ;;
esac
