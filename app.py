"""Start Wmo-kaart: `python app.py [--host H] [--port P]` is `wmo-kaart serve`."""

import sys

from wmo_kaart.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
