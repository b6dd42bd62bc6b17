# bash completion for kgraph: commands, each command's options, and the
# values of the options that take one of a list (formats, layouts, windows,
# measures …). Installed by make install into
# share/bash-completion/completions/kgraph; tests/e2e_install.sh checks that
# every option each command's --help lists is here.

_kgraph() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}

    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "build mentions explain map combine reduce rules compile suggest why --help --version" -- "$cur"))
        return
    fi

    case $prev in
    -f|--format)
        COMPREPLY=($(compgen -W "dot svg png pdf json html graphml gexf cyjs csv neo4j ttl" -- "$cur"))
        return ;;
    --layout)
        COMPREPLY=($(compgen -W "sfdp neato fdp dot circo twopi osage patchwork" -- "$cur"))
        return ;;
    -w|--window)
        COMPREPLY=($(compgen -W "sentence paragraph document" -- "$cur"))
        return ;;
    --measure)
        COMPREPLY=($(compgen -W "count docs jaccard dice pmi npmi assoc llr" -- "$cur"))
        return ;;
    --backbone)
        COMPREPLY=($(compgen -W "mst disparity disparity=0.05" -- "$cur"))
        return ;;
    --cluster) COMPREPLY=($(compgen -W "type place community" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "type community" -- "$cur")); return ;;
    --size) COMPREPLY=($(compgen -W "count pagerank betweenness" -- "$cur")); return ;;
    --lang) COMPREPLY=($(compgen -W "zh en" -- "$cur")); return ;;
    --convert) COMPREPLY=($(compgen -W "auto t2s none" -- "$cur")); return ;;
    --type|--types)
        COMPREPLY=($(compgen -W "company institute organization place park programme" -- "$cur"))
        return ;;
    -r|--rules|-o|--output|--meta)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --encoding|--title|--focus|--depth|--evidence|--max-pairs|-j|--jobs|-n|--min-count|\
    --top-nodes|--pairs|--min-weight|--min-score|--top-per-node|--top|--resolution|--since|--until)
        return ;;
    esac

    local rules="-r --rules --no-default-rules --no-gazetteer -h --help"
    local read="--encoding --convert --no-corpus-short-forms"
    local dates="--meta --since --until"
    local opts
    case $cmd in
    build|reduce)
        opts="$rules -f --format -o --output -w --window --measure --evidence --max-pairs
              --title --lang --color --size --cluster --layout -j --jobs --resolution
              --types -n --min-count --top-nodes --pairs --min-weight --min-score --backbone
              --focus --depth --top-per-node --top --drop-isolates --no-default-filters -q --quiet"
        [ "$cmd" = build ] && opts="$opts $read $dates"
        [ "$cmd" = reduce ] && opts="$opts --allow-empty" ;;
    mentions|explain) opts="$rules $read" ;;
    suggest) opts="-r --rules --no-default-rules -h --help $read -n --min-count --type -o --output -j --jobs" ;;
    why) opts="$rules $read $dates -w --window --measure --evidence --max-pairs -j --jobs" ;;
    map) opts="$rules $read $dates --paths -w --window --evidence --max-pairs -j --jobs" ;;
    combine) opts="-h --help" ;;
    compile) opts="-r --rules --no-default-rules -o --output -q --quiet -h --help" ;;
    rules)
        if [ "$COMP_CWORD" -eq 2 ]; then
            COMPREPLY=($(compgen -W "check" -- "$cur"))
            return
        fi
        opts="--no-default-rules -h --help" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _kgraph kgraph
