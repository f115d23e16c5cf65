int main() { return 1; }  // replaced by the simulator entry point
