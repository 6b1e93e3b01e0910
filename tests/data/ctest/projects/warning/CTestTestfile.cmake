message(WARNING "careful")
add_test(x /bin/true)
