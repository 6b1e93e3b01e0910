# Distributed under the same terms as Fanout itself.

#[=======================================================================[.rst:
FanoutTests
-----------

Registers test executables with Fanout, the parallel test launcher, and with CTest.

Each registration writes one entry of the build-tree manifest that ``fanout`` reads
(``<CMAKE_BINARY_DIR>/.fanout/``), and also adds a plain CTest test for the whole executable, so
``ctest`` keeps working on the same build tree. At the end of configuring the top-level directory,
the index ``.fanout/manifest.json`` is written listing every name registered in that configure run.

.. command:: add_distributed_tests

  Registers a test executable: Fanout lists the test cases inside it and runs them as individual
  items, in parallel::

    add_distributed_tests(<target>
                          [FRAMEWORK gtest|catch2|doctest|boost_test|exe|auto]
                          [TIMEOUT <seconds>]
                          [LABELS <label>...]
                          [WORKING_DIRECTORY <dir>]
                          [ENVIRONMENT <NAME=VALUE>...]
                          [EXTRA_ARGS <arg>...]
                          [GROUP <name> [GROUP_ITEMS <regex>...]]
                          [RESOURCE_LOCK <lock>...]
                          [RUN_SERIAL]
                          [PROCESSORS <n>]
                          [FIXTURES_REQUIRED <fixture>...]
                          [ISOLATE | ISOLATE_ITEMS <regex>...]
                          [SKIP_RETURN_CODE <code>]
                          [DATA <file>...]
    )

  The options are:

  ``<target>``
    An executable target that already exists (an imported executable is accepted). Its name is
    the name of the registration: the manifest entry, the CTest test and the first part of every
    item id (``<target>/<test name>``). A target can be registered once.

  ``FRAMEWORK <name>``
    The test framework the executable was written with: ``gtest`` (GoogleTest), ``catch2``,
    ``doctest``, ``boost_test`` (Boost.Test), ``exe`` (no framework: the whole executable is one
    item that passes when it exits with 0), or ``auto`` (the default: Fanout inspects the
    executable when it runs).

  ``TIMEOUT <seconds>``
    Time limit for each item, in seconds (a non-negative number, fractions allowed). ``0``, the
    default, means the run's default (``fanout --timeout``). Also the CTest ``TIMEOUT`` of the
    whole executable when it is greater than 0.

  ``LABELS <label>...``
    Labels given to every item of the executable, for selecting and reporting. Also the CTest
    ``LABELS``.

  ``WORKING_DIRECTORY <dir>``
    Directory the tests run in. A relative path is taken relative to
    :variable:`CMAKE_CURRENT_BINARY_DIR`, which is also the default (as for :command:`add_test`).

  ``ENVIRONMENT <NAME=VALUE>...``
    Environment variables set for every test process. Each entry must contain ``=``.

  ``EXTRA_ARGS <arg>...``
    Arguments appended to every command line that runs the executable. Because arguments are
    parsed by keyword, an extra argument cannot be spelled like one of this command's keywords.

  ``GROUP <name>``
    Items of the same group run one after another on a single worker (they may share state).
    Groups are Fanout's own notion and have no CTest equivalent.

  ``GROUP_ITEMS <regex>...``
    With ``GROUP``: only the items whose name (``Suite.Case`` for GoogleTest) matches one of the
    regular expressions (ECMAScript, searched) belong to the group; the others run freely.

  ``RESOURCE_LOCK <lock>...``
    Named resources: no two items holding the same lock run at the same time. Also the CTest
    ``RESOURCE_LOCK``.

  ``RUN_SERIAL``
    Items of this executable run while nothing else runs. Also the CTest ``RUN_SERIAL``.

  ``PROCESSORS <n>``
    Number of worker slots one item occupies (a positive integer, default 1). Also the CTest
    ``PROCESSORS``.

  ``FIXTURES_REQUIRED <fixture>...``
    Fixtures (see :command:`add_distributed_fixture`) that must be set up before the items run
    and cleaned up after them. Also the CTest ``FIXTURES_REQUIRED``. A name that no
    ``add_distributed_fixture()`` of the project defines produces an author warning at the end
    of configuration, because Fanout only knows the fixtures registered with that command.

  ``ISOLATE``
    Runs every item in a process of its own instead of batching several items per process.

  ``ISOLATE_ITEMS <regex>...``
    Runs only the items whose name matches one of the regular expressions in a process of
    their own (tests that depend on a fresh process); the others are batched.

  ``SKIP_RETURN_CODE <code>``
    Exit code (0 to 255) with which the executable reports that it skipped. Also the CTest
    ``SKIP_RETURN_CODE``. For a framework binary, a process that exits with it skipped the test
    it was running, or all the tests it was given when it had started none (a ``main()`` that
    finds nothing to test on); the tests it never reached run in a new process, and those that
    had finished keep their results.

  ``DATA <file>...``
    Files and directories the tests read at run time; Fanout ships them to remote hosts with the
    executable. Relative paths are taken relative to :variable:`CMAKE_CURRENT_SOURCE_DIR`.

  :command:`Generator expressions <cmake-generator-expressions(7)>` may be used in
  ``WORKING_DIRECTORY``, ``ENVIRONMENT``, ``EXTRA_ARGS`` and ``DATA``; they are evaluated at
  generation time, as for :command:`add_test`.

  Configuration stops with an error for an unknown or misspelled argument, an unknown
  ``FRAMEWORK``, a ``TIMEOUT``, ``PROCESSORS`` or ``SKIP_RETURN_CODE`` that is not a valid number,
  an ``ENVIRONMENT`` entry without ``=``, and a ``<target>`` that does not exist (yet) or is not
  an executable.

  The manifest entry is ``<CMAKE_BINARY_DIR>/.fanout/targets/<target>.json``. With a
  multi-config generator it describes the executable of the configuration named by
  ``CMAKE_DEFAULT_BUILD_TYPE``, or else the first of ``CMAKE_CONFIGURATION_TYPES``.

.. command:: add_distributed_fixture

  Registers a fixture: a command run once before the first item that requires it and, optionally,
  a command run once after the last one::

    add_distributed_fixture(<name>
                            SETUP <command> [<arg>...]
                            [CLEANUP <command> [<arg>...]]
                            [WORKING_DIRECTORY <dir>]
                            [TIMEOUT <seconds>]
    )

  The options are:

  ``<name>``
    The fixture's name, as given to ``FIXTURES_REQUIRED``.

  ``SETUP <command> [<arg>...]``
    The command that sets the fixture up (required). A ``<command>`` that names an executable
    target runs that target's binary; a relative path to an existing file is taken relative to
    :variable:`CMAKE_CURRENT_SOURCE_DIR`; any other name is looked up in ``PATH`` at run time.

  ``CLEANUP <command> [<arg>...]``
    The command that tears the fixture down, resolved like ``SETUP``.

  ``WORKING_DIRECTORY <dir>``
    Directory both commands run in; relative to, and by default,
    :variable:`CMAKE_CURRENT_BINARY_DIR`.

  ``TIMEOUT <seconds>``
    Time limit of each command, in seconds (a non-negative number, fractions allowed). ``0``, the
    default, means the run's default (``fanout --timeout``), or 1500 s (ctest's default) when the
    run has none. A command that exceeds it is killed with its whole process group and fails, as
    a failing setup or cleanup does. Also the CTest ``TIMEOUT`` of both tests.

  For plain CTest, the fixture becomes a test ``<name>_setup`` with ``FIXTURES_SETUP <name>`` and,
  with ``CLEANUP``, a test ``<name>_cleanup`` with ``FIXTURES_CLEANUP <name>``. The manifest entry
  is ``<CMAKE_BINARY_DIR>/.fanout/fixtures/<name>.json``.

Example:

.. code-block:: cmake

  include(FanoutTests)   # or: find_package(Fanout)
  add_executable(unit_tests unit_tests.cpp)
  target_link_libraries(unit_tests PRIVATE GTest::gtest_main)
  add_distributed_fixture(database SETUP start_db.sh CLEANUP stop_db.sh)
  add_distributed_tests(unit_tests FRAMEWORK gtest TIMEOUT 30 LABELS fast
                        FIXTURES_REQUIRED database DATA testdata/)
#]=======================================================================]

include_guard(GLOBAL)

# Sets <out> to <value> as a JSON string literal (with quotes), escaping backslash, double
# quote and control characters.
function(_fanout_json_string out value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(REPLACE "\n" "\\n" value "${value}")
  string(REPLACE "\r" "\\r" value "${value}")
  string(REPLACE "\t" "\\t" value "${value}")
  foreach(code RANGE 1 31)
    string(ASCII ${code} char)
    string(FIND "${value}" "${char}" found)
    if(NOT found EQUAL -1)
      math(EXPR high "${code} / 16")
      math(EXPR low "${code} % 16")
      string(SUBSTRING "0123456789abcdef" ${low} 1 low)
      string(REPLACE "${char}" "\\u00${high}${low}" value "${value}")
    endif()
  endforeach()
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

# Sets <out> to the JSON array of strings holding the remaining arguments.
function(_fanout_json_array out)
  set(items "")
  foreach(item IN LISTS ARGN)
    _fanout_json_string(quoted "${item}")
    list(APPEND items "${quoted}")
  endforeach()
  list(JOIN items ", " joined)
  set(${out} "[${joined}]" PARENT_SCOPE)
endfunction()

# Sets <out> to <path> made absolute against <base>, leaving generator expressions untouched.
function(_fanout_absolute out path base)
  if(NOT path MATCHES "^\\$<")
    cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${base}" NORMALIZE)
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

# Sets <out> to the line of <file> where <command>(<name> ...) is called, or 0 when that cannot
# be told. Inside a function CMAKE_CURRENT_LIST_LINE is a line of the function's own body, so
# the caller's file is searched instead: a call naming <name> literally wins; otherwise the one
# call whose first argument is a variable reference, or the file's only call.
function(_fanout_call_line out file command name)
  set(${out} 0 PARENT_SCOPE)
  if(NOT EXISTS "${file}")
    return()
  endif()
  file(READ "${file}" text)
  string(TOLOWER "${text}" lowered)
  string(TOLOWER "${command}(" needle)
  string(LENGTH "${needle}" needle_length)
  set(literal_lines "")
  set(variable_lines "")
  set(all_lines "")
  set(offset 0)
  while(TRUE)
    string(SUBSTRING "${lowered}" ${offset} -1 rest)
    string(FIND "${rest}" "${needle}" found)
    if(found EQUAL -1)
      break()
    endif()
    math(EXPR position "${offset} + ${found}")
    math(EXPR offset "${position} + ${needle_length}")
    string(SUBSTRING "${text}" 0 ${position} before)
    # Skip comments and longer command names that end in <command>.
    if(before MATCHES "#[^\n]*$" OR before MATCHES "[A-Za-z0-9_]$")
      continue()
    endif()
    string(REGEX MATCHALL "\n" newlines "${before}")
    list(LENGTH newlines line)
    math(EXPR line "${line} + 1")
    list(APPEND all_lines ${line})
    string(SUBSTRING "${text}" ${offset} -1 after)
    if(after MATCHES "^[ \t\r\n]*\"?([^ \t\r\n\")]*)")
      set(first "${CMAKE_MATCH_1}")
      if(first STREQUAL name)
        list(APPEND literal_lines ${line})
      elseif(first MATCHES "\\$\\{")
        list(APPEND variable_lines ${line})
      endif()
    endif()
  endwhile()
  foreach(candidates IN ITEMS literal_lines variable_lines all_lines)
    list(LENGTH ${candidates} count)
    if(count EQUAL 1)
      set(${out} ${${candidates}} PARENT_SCOPE)
      return()
    elseif(count GREATER 1)
      return()
    endif()
  endforeach()
endfunction()

# Writes .fanout/<kind>/<name>.json from <content>, which may hold generator expressions.
function(_fanout_generate kind name content)
  set(output "${CMAKE_BINARY_DIR}/.fanout/${kind}/${name}.json")
  get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(multi_config)
    if(CMAKE_DEFAULT_BUILD_TYPE)
      set(config "${CMAKE_DEFAULT_BUILD_TYPE}")
    else()
      list(GET CMAKE_CONFIGURATION_TYPES 0 config)
    endif()
    file(GENERATE OUTPUT "${output}" CONTENT "${content}" CONDITION "$<CONFIG:${config}>")
  else()
    file(GENERATE OUTPUT "${output}" CONTENT "${content}")
  endif()
endfunction()

# Arranges, once per configure run, for the index to be written when the top-level directory
# has been processed completely.
function(_fanout_defer_index)
  get_property(deferred GLOBAL PROPERTY _FANOUT_INDEX_DEFERRED)
  if(NOT deferred)
    set_property(GLOBAL PROPERTY _FANOUT_INDEX_DEFERRED TRUE)
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _fanout_write_index)
  endif()
endfunction()

# Writes .fanout/manifest.json listing this configure run's registrations, and removes entries
# left by registrations that no longer exist.
function(_fanout_write_index)
  get_property(targets GLOBAL PROPERTY _FANOUT_TARGETS)
  get_property(fixtures GLOBAL PROPERTY _FANOUT_FIXTURES)
  foreach(target IN LISTS targets)
    get_property(required GLOBAL PROPERTY _FANOUT_FIXTURES_REQUIRED_${target})
    foreach(fixture IN LISTS required)
      if(NOT fixture IN_LIST fixtures)
        get_property(where GLOBAL PROPERTY _FANOUT_SOURCE_${target})
        message(AUTHOR_WARNING
          "add_distributed_tests(${target}) at ${where}: FIXTURES_REQUIRED names '${fixture}', "
          "which no add_distributed_fixture() defines; Fanout will run the tests without it.")
      endif()
    endforeach()
  endforeach()

  set(dir "${CMAKE_BINARY_DIR}/.fanout")
  foreach(kind IN ITEMS targets fixtures)
    file(GLOB existing "${dir}/${kind}/*.json")
    foreach(path IN LISTS existing)
      get_filename_component(stem "${path}" NAME)
      string(REGEX REPLACE "\\.json$" "" stem "${stem}")
      if(NOT stem IN_LIST ${kind})
        file(REMOVE "${path}")
      endif()
    endforeach()
  endforeach()

  _fanout_json_array(targets_json ${targets})
  _fanout_json_array(fixtures_json ${fixtures})
  # Version 1 of the manifest format; the launcher refuses versions it does not know.
  set(content "{\n  \"version\": 1,\n")
  string(APPEND content "  \"targets\": ${targets_json},\n")
  string(APPEND content "  \"fixtures\": ${fixtures_json}\n}\n")
  set(index "${dir}/manifest.json")
  if(EXISTS "${index}")
    file(READ "${index}" previous)
    if(previous STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${index}" "${content}")
endfunction()

# Stops configuration with a message that names the call at fault.
# The message may be given in several pieces, which are concatenated.
function(_fanout_fail command name)
  set(message "")
  math(EXPR last "${ARGC} - 1")
  foreach(index RANGE 2 ${last})
    string(APPEND message "${ARGV${index}}")
  endforeach()
  message(FATAL_ERROR "${command}(${name}): ${message}")
endfunction()

function(add_distributed_tests target)
  set(options RUN_SERIAL ISOLATE)
  set(one_value FRAMEWORK TIMEOUT WORKING_DIRECTORY GROUP PROCESSORS SKIP_RETURN_CODE)
  set(multi_value LABELS ENVIRONMENT EXTRA_ARGS RESOURCE_LOCK FIXTURES_REQUIRED DATA GROUP_ITEMS
                  ISOLATE_ITEMS)
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")
  set(cmd add_distributed_tests)

  if(arg_UNPARSED_ARGUMENTS)
    list(JOIN arg_UNPARSED_ARGUMENTS " " unknown)
    _fanout_fail(${cmd} ${target} "unknown arguments: ${unknown}")
  endif()
  foreach(keyword IN LISTS arg_KEYWORDS_MISSING_VALUES)
    if(keyword IN_LIST one_value)
      _fanout_fail(${cmd} ${target} "${keyword} needs a value")
    endif()
  endforeach()
  if(NOT TARGET ${target})
    _fanout_fail(${cmd} ${target} "no target named '${target}' exists (call "
                 "add_distributed_tests() after add_executable(${target} ...))")
  endif()
  get_target_property(type ${target} TYPE)
  if(NOT type STREQUAL "EXECUTABLE")
    _fanout_fail(${cmd} ${target} "target '${target}' is a ${type}, not an executable")
  endif()
  get_property(registered GLOBAL PROPERTY _FANOUT_TARGETS)
  if(target IN_LIST registered)
    get_property(where GLOBAL PROPERTY _FANOUT_SOURCE_${target})
    _fanout_fail(${cmd} ${target} "'${target}' is already registered at ${where}")
  endif()

  if(DEFINED arg_GROUP_ITEMS AND NOT DEFINED arg_GROUP)
    _fanout_fail(${cmd} ${target} "GROUP_ITEMS needs GROUP <name>")
  endif()
  if(arg_ISOLATE AND DEFINED arg_ISOLATE_ITEMS)
    _fanout_fail(${cmd} ${target} "ISOLATE and ISOLATE_ITEMS exclude each other")
  endif()

  if(NOT DEFINED arg_FRAMEWORK)
    set(arg_FRAMEWORK auto)
  endif()
  set(frameworks gtest catch2 doctest boost_test exe auto)
  if(NOT arg_FRAMEWORK IN_LIST frameworks)
    list(JOIN frameworks ", " known)
    _fanout_fail(${cmd} ${target} "unknown FRAMEWORK '${arg_FRAMEWORK}' (known: ${known})")
  endif()

  set(timeout 0)
  if(DEFINED arg_TIMEOUT)
    _fanout_timeout(timeout ${cmd} ${target} "${arg_TIMEOUT}")
  endif()

  set(processors 1)
  if(DEFINED arg_PROCESSORS)
    if(NOT arg_PROCESSORS MATCHES "^0*[1-9][0-9]*$" OR arg_PROCESSORS GREATER 1000000)
      _fanout_fail(${cmd} ${target}
                   "PROCESSORS must be a positive integer, not '${arg_PROCESSORS}'")
    endif()
    math(EXPR processors "${arg_PROCESSORS}")
  endif()

  set(skip_return_code null)
  if(DEFINED arg_SKIP_RETURN_CODE)
    if(NOT arg_SKIP_RETURN_CODE MATCHES "^[0-9]+$" OR arg_SKIP_RETURN_CODE GREATER 255)
      _fanout_fail(${cmd} ${target}
                   "SKIP_RETURN_CODE must be an integer from 0 to 255, not '${arg_SKIP_RETURN_CODE}'")
    endif()
    math(EXPR skip_return_code "${arg_SKIP_RETURN_CODE}")
  endif()

  foreach(entry IN LISTS arg_ENVIRONMENT)
    if(NOT entry MATCHES "^[^=]+=")
      _fanout_fail(${cmd} ${target} "ENVIRONMENT entry '${entry}' is not of the form NAME=VALUE")
    endif()
  endforeach()

  if(DEFINED arg_WORKING_DIRECTORY)
    _fanout_absolute(working_directory "${arg_WORKING_DIRECTORY}" "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(working_directory "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set(data "")
  foreach(path IN LISTS arg_DATA)
    _fanout_absolute(path "${path}" "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND data "${path}")
  endforeach()

  set(source_file "${CMAKE_CURRENT_LIST_FILE}")
  _fanout_call_line(source_line "${source_file}" ${cmd} ${target})

  foreach(flag IN ITEMS RUN_SERIAL ISOLATE)
    if(arg_${flag})
      set(${flag} true)
    else()
      set(${flag} false)
    endif()
  endforeach()

  _fanout_json_string(name_json "${target}")
  _fanout_json_string(framework_json "${arg_FRAMEWORK}")
  _fanout_json_string(working_directory_json "${working_directory}")
  _fanout_json_string(group_json "${arg_GROUP}")
  _fanout_json_string(source_file_json "${source_file}")
  _fanout_json_array(labels_json ${arg_LABELS})
  _fanout_json_array(environment_json ${arg_ENVIRONMENT})
  _fanout_json_array(extra_args_json ${arg_EXTRA_ARGS})
  _fanout_json_array(locks_json ${arg_RESOURCE_LOCK})
  _fanout_json_array(fixtures_json ${arg_FIXTURES_REQUIRED})
  _fanout_json_array(data_json ${data})
  _fanout_json_array(group_items_json ${arg_GROUP_ITEMS})
  _fanout_json_array(isolate_items_json ${arg_ISOLATE_ITEMS})
  string(CONCAT content
    "{\n"
    "  \"name\": ${name_json},\n"
    "  \"executable\": \"$<TARGET_FILE:${target}>\",\n"
    "  \"framework\": ${framework_json},\n"
    "  \"timeout\": ${timeout},\n"
    "  \"labels\": ${labels_json},\n"
    "  \"working_directory\": ${working_directory_json},\n"
    "  \"environment\": ${environment_json},\n"
    "  \"extra_args\": ${extra_args_json},\n"
    "  \"group\": ${group_json},\n"
    "  \"group_items\": ${group_items_json},\n"
    "  \"resource_locks\": ${locks_json},\n"
    "  \"run_serial\": ${RUN_SERIAL},\n"
    "  \"processors\": ${processors},\n"
    "  \"fixtures_required\": ${fixtures_json},\n"
    "  \"isolate\": ${ISOLATE},\n"
    "  \"isolate_items\": ${isolate_items_json},\n"
    "  \"skip_return_code\": ${skip_return_code},\n"
    "  \"data\": ${data_json},\n"
    "  \"source_file\": ${source_file_json},\n"
    "  \"source_line\": ${source_line}\n"
    "}\n")
  _fanout_generate(targets "${target}" "${content}")

  set_property(GLOBAL APPEND PROPERTY _FANOUT_TARGETS "${target}")
  set(where "${source_file}")
  if(source_line GREATER 0)
    string(APPEND where ":${source_line}")
  endif()
  set_property(GLOBAL PROPERTY _FANOUT_SOURCE_${target} "${where}")
  set_property(GLOBAL PROPERTY _FANOUT_FIXTURES_REQUIRED_${target} "${arg_FIXTURES_REQUIRED}")
  _fanout_defer_index()

  # The whole executable as one CTest test, so plain ctest keeps working.
  add_test(NAME ${target} COMMAND ${target} ${arg_EXTRA_ARGS}
           WORKING_DIRECTORY "${working_directory}")
  set(properties PROCESSORS ${processors})
  if(NOT timeout MATCHES "^0(\\.0*)?$")
    list(APPEND properties TIMEOUT ${timeout})
  endif()
  if(arg_RUN_SERIAL)
    list(APPEND properties RUN_SERIAL TRUE)
  endif()
  if(DEFINED arg_SKIP_RETURN_CODE)
    list(APPEND properties SKIP_RETURN_CODE ${skip_return_code})
  endif()
  set_tests_properties(${target} PROPERTIES ${properties})
  foreach(property IN ITEMS LABELS ENVIRONMENT RESOURCE_LOCK FIXTURES_REQUIRED)
    if(arg_${property})
      set_property(TEST ${target} PROPERTY ${property} ${arg_${property}})
    endif()
  endforeach()
endfunction()

# Sets <out> to <value>, a TIMEOUT in seconds, spelt as JSON wants it (no leading zeros, digits
# on both sides of the point); fails for <cmd>(<name>) when it is not a non-negative number.
function(_fanout_timeout out cmd name value)
  if(NOT value MATCHES "[0-9]" OR NOT value MATCHES "^([0-9]*)(\\.([0-9]*))?$")
    _fanout_fail(${cmd} ${name} "TIMEOUT must be a non-negative number of seconds, not '${value}'")
  endif()
  set(whole "${CMAKE_MATCH_1}")
  set(fraction "${CMAKE_MATCH_3}")
  string(REGEX REPLACE "^0+" "" whole "${whole}")
  string(REGEX REPLACE "0+$" "" fraction "${fraction}")
  if(whole STREQUAL "")
    set(whole 0)
  endif()
  set(timeout "${whole}")
  if(NOT fraction STREQUAL "")
    set(timeout "${whole}.${fraction}")
  endif()
  set(${out} "${timeout}" PARENT_SCOPE)
endfunction()

# Sets <out> to <command> with its first word resolved as add_distributed_fixture() documents.
function(_fanout_fixture_command out)
  set(command ${ARGN})
  list(GET command 0 program)
  if(TARGET ${program})
    get_target_property(type ${program} TYPE)
    if(type STREQUAL "EXECUTABLE")
      set(program "$<TARGET_FILE:${program}>")
    endif()
  elseif(NOT IS_ABSOLUTE "${program}" AND EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${program}"
         AND NOT IS_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/${program}")
    set(program "${CMAKE_CURRENT_SOURCE_DIR}/${program}")
  endif()
  list(REMOVE_AT command 0)
  set(${out} "${program}" ${command} PARENT_SCOPE)
endfunction()

function(add_distributed_fixture name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "WORKING_DIRECTORY;TIMEOUT" "SETUP;CLEANUP")
  set(cmd add_distributed_fixture)
  if(arg_UNPARSED_ARGUMENTS)
    list(JOIN arg_UNPARSED_ARGUMENTS " " unknown)
    _fanout_fail(${cmd} ${name} "unknown arguments: ${unknown}")
  endif()
  if("WORKING_DIRECTORY" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    _fanout_fail(${cmd} ${name} "WORKING_DIRECTORY needs a value")
  endif()
  if(NOT arg_SETUP)
    _fanout_fail(${cmd} ${name} "SETUP <command> is required")
  endif()
  if("TIMEOUT" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    _fanout_fail(${cmd} ${name} "TIMEOUT needs a value")
  endif()
  set(timeout 0)
  if(DEFINED arg_TIMEOUT)
    _fanout_timeout(timeout ${cmd} ${name} "${arg_TIMEOUT}")
  endif()
  if("CLEANUP" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    _fanout_fail(${cmd} ${name} "CLEANUP needs a command")
  endif()
  get_property(registered GLOBAL PROPERTY _FANOUT_FIXTURES)
  if(name IN_LIST registered)
    _fanout_fail(${cmd} ${name} "fixture '${name}' is already registered")
  endif()

  if(DEFINED arg_WORKING_DIRECTORY)
    _fanout_absolute(working_directory "${arg_WORKING_DIRECTORY}" "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(working_directory "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  _fanout_fixture_command(setup ${arg_SETUP})
  set(cleanup "")
  if(arg_CLEANUP)
    _fanout_fixture_command(cleanup ${arg_CLEANUP})
  endif()
  set(source_file "${CMAKE_CURRENT_LIST_FILE}")
  _fanout_call_line(source_line "${source_file}" ${cmd} ${name})

  _fanout_json_string(name_json "${name}")
  _fanout_json_array(setup_json ${setup})
  _fanout_json_array(cleanup_json ${cleanup})
  _fanout_json_string(working_directory_json "${working_directory}")
  _fanout_json_string(source_file_json "${source_file}")
  string(CONCAT content
    "{\n"
    "  \"name\": ${name_json},\n"
    "  \"setup\": ${setup_json},\n"
    "  \"cleanup\": ${cleanup_json},\n"
    "  \"working_directory\": ${working_directory_json},\n"
    "  \"timeout\": ${timeout},\n"
    "  \"source_file\": ${source_file_json},\n"
    "  \"source_line\": ${source_line}\n"
    "}\n")
  _fanout_generate(fixtures "${name}" "${content}")

  set_property(GLOBAL APPEND PROPERTY _FANOUT_FIXTURES "${name}")
  _fanout_defer_index()

  set(timeout_property "")
  if(NOT timeout MATCHES "^0(\\.0*)?$")
    set(timeout_property TIMEOUT ${timeout})
  endif()
  add_test(NAME ${name}_setup COMMAND ${setup} WORKING_DIRECTORY "${working_directory}")
  set_tests_properties(${name}_setup PROPERTIES FIXTURES_SETUP ${name} ${timeout_property})
  if(cleanup)
    add_test(NAME ${name}_cleanup COMMAND ${cleanup} WORKING_DIRECTORY "${working_directory}")
    set_tests_properties(${name}_cleanup PROPERTIES FIXTURES_CLEANUP ${name} ${timeout_property})
  endif()
endfunction()
