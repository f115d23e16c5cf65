int main() { return 1; }  // replaced by the daemon entry point
