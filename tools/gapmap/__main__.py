from gapmap.cli import main

main()
