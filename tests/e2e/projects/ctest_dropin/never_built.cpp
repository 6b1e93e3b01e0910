// Never built (EXCLUDE_FROM_ALL): its test has no executable.
int main() {
  return 0;
}
