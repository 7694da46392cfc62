# Sourced by the bench scripts that start Virtuoso 7 (bench/virtuoso/run.sh,
# bench/serve_bench.sh): writes HOME/virtuoso.ini for a server on loopback whose files
# all live in HOME/db and which may load from HOME/load.
#   virtuoso_ini HOME SQL_PORT HTTP_PORT BUFFERS HTTP_THREADS
virtuoso_ini() {
  local home=$1 sql=$2 http=$3 buffers=$4 http_threads=$5
  mkdir -p "$home/db" "$home/load"
  cat > "$home/virtuoso.ini" <<INI
[Database]
DatabaseFile = $home/db/virtuoso.db
ErrorLogFile = $home/db/virtuoso.log
LockFile = $home/db/virtuoso.lck
TransactionFile = $home/db/virtuoso.trx
xa_persistent_file = $home/db/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $home/db/virtuoso-temp.db
TransactionFile = $home/db/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$sql
NumberOfBuffers = $buffers
MaxDirtyBuffers = $(( buffers * 3 / 4 ))
DirsAllowed = ., $home/load
ThreadsPerQuery = $(nproc)

[HTTPServer]
ServerPort = 127.0.0.1:$http
ServerThreads = $http_threads
MaxClientConnections = $(( http_threads * 2 ))

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
INI
}
