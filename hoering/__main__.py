from hoering.cli import main

main()
