// BackgroundCollection: targets whose items are cached are handed over first, in order, on the
// event loop's thread; the rest are listed on threads; every target is answered once, then done.

#include "launcher/background_collection.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "collector/framework.hpp"
#include "transport/temporary_directory.hpp"

namespace fanout::launcher {
namespace {

namespace fs = std::filesystem;

class BackgroundCollectionTest : public ::testing::Test {
 protected:
  BackgroundCollectionTest() { options_.cache_dir = dir_ / "cache"; }

  /// A GoogleTest-like binary `name` listing Suite.<name>, noting every run in `<name>.runs`.
  collector::Target lister(const std::string& name) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << "#!/bin/sh\necho run >> '" << (dir_ / (name + ".runs")).string()
                        << "'\necho 'Suite.'\necho '  " << name << "'\n";
    fs::permissions(path, fs::perms::owner_exec, fs::perm_options::add);
    collector::Target target;
    target.name = name;
    target.executable = path;
    target.framework = "gtest";
    return target;
  }

  int runs_of(const std::string& name) const {
    std::ifstream in(dir_ / (name + ".runs"));
    int count = 0;
    for (std::string line; std::getline(in, line);) ++count;
    return count;
  }

  /// What the callbacks said, in order: "collected <name>", "failed <name>", "done".
  std::vector<std::string> collect(const std::vector<collector::Target>& targets, int threads,
                                   bool stop_first = false) {
    std::vector<const collector::Framework*> frameworks(targets.size(),
                                                        collector::find_framework("gtest"));
    const std::vector<std::string> errors(targets.size());
    std::vector<std::string> events;
    boost::asio::io_context io;
    auto busy = boost::asio::make_work_guard(io);  // until done: threads post from afar
    BackgroundCollection::Callbacks callbacks;
    callbacks.collected = [&](std::size_t index, std::vector<collector::Item> items) {
      EXPECT_EQ(std::this_thread::get_id(), test_thread_);
      events.push_back("collected " + targets[index].name + " " +
                       (items.empty() ? "-" : items[0].name));
    };
    callbacks.failed = [&](std::size_t index, std::string message) {
      EXPECT_EQ(std::this_thread::get_id(), test_thread_);
      events.push_back("failed " + targets[index].name + ": " + message);
    };
    callbacks.done = [&] {
      events.push_back("done");
      busy.reset();
    };
    {
      BackgroundCollection collection(io, targets, frameworks, errors, options_, threads,
                                      callbacks);
      if (stop_first) collection.stop();
      io.run();
    }
    return events;
  }

  const transport::TemporaryDirectory scratch_{"fanout-collection-"};
  const fs::path dir_ = scratch_.path();
  collector::CollectOptions options_;
  std::thread::id test_thread_ = std::this_thread::get_id();
};

TEST_F(BackgroundCollectionTest, CachedTargetsComeFirstInOrderWithoutRunningThenTheRest) {
  const std::vector<collector::Target> targets = {lister("a"), lister("b"), lister("c"),
                                                  lister("d")};
  // b and d listed once before: their items are cached.
  collect({targets[1], targets[3]}, 1);
  ASSERT_EQ(runs_of("b"), 1);

  std::vector<collector::Target> reordered = {targets[3], targets[1], targets[0], targets[2]};
  const std::vector<std::string> events = collect(reordered, 2);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0], "collected d Suite.d");
  EXPECT_EQ(events[1], "collected b Suite.b");
  EXPECT_EQ(events.back(), "done");
  const std::vector<std::string> rest(events.begin() + 2, events.end() - 1);
  EXPECT_TRUE(rest == std::vector<std::string>({"collected a Suite.a", "collected c Suite.c"}) ||
              rest == std::vector<std::string>({"collected c Suite.c", "collected a Suite.a"}));
  EXPECT_EQ(runs_of("b"), 1);
  EXPECT_EQ(runs_of("d"), 1);
  EXPECT_EQ(runs_of("a"), 1);
  EXPECT_EQ(runs_of("c"), 1);
}

TEST_F(BackgroundCollectionTest, EveryTargetCachedComesInOrderWithoutRunningAny) {
  const std::vector<collector::Target> targets = {lister("a"), lister("b")};
  collect(targets, 2);
  EXPECT_EQ(collect(targets, 2),
            (std::vector<std::string>{"collected a Suite.a", "collected b Suite.b", "done"}));
  EXPECT_EQ(runs_of("a"), 1);
  EXPECT_EQ(runs_of("b"), 1);
}

TEST_F(BackgroundCollectionTest, AMissingBinaryAfterACachedOneFailsNamingIt) {
  std::vector<collector::Target> targets = {lister("a")};
  collect(targets, 1);
  collector::Target missing = lister("gone");
  fs::remove(missing.executable);
  targets.push_back(missing);
  const std::vector<std::string> events = collect(targets, 1);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0], "collected a Suite.a");
  EXPECT_NE(events[1].find("failed gone: " + missing.executable.string()), std::string::npos)
      << events[1];
  EXPECT_EQ(events[2], "done");
}

TEST_F(BackgroundCollectionTest, StoppedBeforeItRanListsNothing) {
  const std::vector<collector::Target> targets = {lister("a"), lister("b")};
  collect(targets, 1);
  const std::vector<std::string> events = collect(targets, 1, true);
  EXPECT_EQ(events,
            (std::vector<std::string>{"failed a: not listed: the run was interrupted",
                                      "failed b: not listed: the run was interrupted", "done"}));
}

}  // namespace
}  // namespace fanout::launcher
