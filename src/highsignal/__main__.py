from highsignal.cli import main

main()
