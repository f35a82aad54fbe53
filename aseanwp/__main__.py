from aseanwp.entry import main

main()
