int main(int argc, char**) { return argc > 5; }
