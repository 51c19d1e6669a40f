from spreadkit._entry import main

main()
