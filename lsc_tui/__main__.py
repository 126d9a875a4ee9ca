from lsc_tui.cli import main

main()
