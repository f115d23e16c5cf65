// sfsyncd entry point.
#include <iostream>

#include "app/SyncApp.h"

POCO_SERVER_MAIN(sfsync::app::SyncApp)
