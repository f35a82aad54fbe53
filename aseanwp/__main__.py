from aseanwp.cli import main

main()
