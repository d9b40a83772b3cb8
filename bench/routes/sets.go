package routes

// The route sets, as published with the classic Go router benchmarks (the Go website of 2013,
// the Parse REST API and the GitHub REST API v3).

// staticPaths are the 157 static paths of the Go website (all GET).
const staticPaths = `
/
/cmd.html
/code.html
/contrib.html
/contribute.html
/debugging_with_gdb.html
/docs.html
/effective_go.html
/files.log
/gccgo_contribute.html
/gccgo_install.html
/go-logo-black.png
/go-logo-blue.png
/go-logo-white.png
/go1.1.html
/go1.2.html
/go1.html
/go1compat.html
/go_faq.html
/go_mem.html
/go_spec.html
/help.html
/ie.css
/install-source.html
/install.html
/logo-153x55.png
/Makefile
/root.html
/share.png
/sieve.gif
/tos.html
/articles/
/articles/go_command.html
/articles/index.html
/articles/wiki/
/articles/wiki/edit.html
/articles/wiki/final-noclosure.go
/articles/wiki/final-noerror.go
/articles/wiki/final-parsetemplate.go
/articles/wiki/final-template.go
/articles/wiki/final.go
/articles/wiki/get.go
/articles/wiki/http-sample.go
/articles/wiki/index.html
/articles/wiki/Makefile
/articles/wiki/notemplate.go
/articles/wiki/part1-noerror.go
/articles/wiki/part1.go
/articles/wiki/part2.go
/articles/wiki/part3-errorhandling.go
/articles/wiki/part3.go
/articles/wiki/test.bash
/articles/wiki/test_edit.good
/articles/wiki/test_Test.txt.good
/articles/wiki/test_view.good
/articles/wiki/view.html
/codewalk/
/codewalk/codewalk.css
/codewalk/codewalk.js
/codewalk/codewalk.xml
/codewalk/functions.xml
/codewalk/markov.go
/codewalk/markov.xml
/codewalk/pig.go
/codewalk/popout.png
/codewalk/run
/codewalk/sharemem.xml
/codewalk/urlpoll.go
/devel/
/devel/release.html
/devel/weekly.html
/gopher/
/gopher/appenginegopher.jpg
/gopher/appenginegophercolor.jpg
/gopher/appenginelogo.gif
/gopher/bumper.png
/gopher/bumper192x108.png
/gopher/bumper320x180.png
/gopher/bumper480x270.png
/gopher/bumper640x360.png
/gopher/doc.png
/gopher/frontpage.png
/gopher/gopherbw.png
/gopher/gophercolor.png
/gopher/gophercolor16x16.png
/gopher/help.png
/gopher/pkg.png
/gopher/project.png
/gopher/ref.png
/gopher/run.png
/gopher/talks.png
/gopher/pencil/
/gopher/pencil/gopherhat.jpg
/gopher/pencil/gopherhelmet.jpg
/gopher/pencil/gophermega.jpg
/gopher/pencil/gopherrunning.jpg
/gopher/pencil/gopherswim.jpg
/gopher/pencil/gopherswrench.jpg
/play/
/play/fib.go
/play/hello.go
/play/life.go
/play/peano.go
/play/pi.go
/play/sieve.go
/play/solitaire.go
/play/tree.go
/progs/
/progs/cgo1.go
/progs/cgo2.go
/progs/cgo3.go
/progs/cgo4.go
/progs/defer.go
/progs/defer.out
/progs/defer2.go
/progs/defer2.out
/progs/eff_bytesize.go
/progs/eff_bytesize.out
/progs/eff_qr.go
/progs/eff_sequence.go
/progs/eff_sequence.out
/progs/eff_unused1.go
/progs/eff_unused2.go
/progs/error.go
/progs/error2.go
/progs/error3.go
/progs/error4.go
/progs/go1.go
/progs/gobs1.go
/progs/gobs2.go
/progs/image_draw.go
/progs/image_package1.go
/progs/image_package1.out
/progs/image_package2.go
/progs/image_package2.out
/progs/image_package3.go
/progs/image_package3.out
/progs/image_package4.go
/progs/image_package4.out
/progs/image_package5.go
/progs/image_package5.out
/progs/image_package6.go
/progs/image_package6.out
/progs/interface.go
/progs/interface2.go
/progs/interface2.out
/progs/json1.go
/progs/json2.go
/progs/json2.out
/progs/json3.go
/progs/json4.go
/progs/json5.go
/progs/run
/progs/slices.go
/progs/timeout1.go
/progs/timeout2.go
/progs/update.bash
`

// parseAPI is the Parse REST API (26 routes).
const parseAPI = `
POST /1/classes/:className
GET /1/classes/:className/:objectId
PUT /1/classes/:className/:objectId
GET /1/classes/:className
DELETE /1/classes/:className/:objectId
POST /1/users
GET /1/login
GET /1/users/:objectId
PUT /1/users/:objectId
GET /1/users
DELETE /1/users/:objectId
POST /1/requestPasswordReset
POST /1/roles
GET /1/roles/:objectId
PUT /1/roles/:objectId
GET /1/roles
DELETE /1/roles/:objectId
POST /1/files/:fileName
POST /1/events/:eventName
POST /1/push
POST /1/installations
GET /1/installations/:objectId
PUT /1/installations/:objectId
GET /1/installations
DELETE /1/installations/:objectId
POST /1/functions
`

// githubAPI is the GitHub REST API v3 (203 routes).
const githubAPI = `
GET /authorizations
GET /authorizations/:id
POST /authorizations
DELETE /authorizations/:id
GET /applications/:client_id/tokens/:access_token
DELETE /applications/:client_id/tokens
DELETE /applications/:client_id/tokens/:access_token
GET /events
GET /repos/:owner/:repo/events
GET /networks/:owner/:repo/events
GET /orgs/:org/events
GET /users/:user/received_events
GET /users/:user/received_events/public
GET /users/:user/events
GET /users/:user/events/public
GET /users/:user/events/orgs/:org
GET /feeds
GET /notifications
GET /repos/:owner/:repo/notifications
PUT /notifications
PUT /repos/:owner/:repo/notifications
GET /notifications/threads/:id
GET /notifications/threads/:id/subscription
PUT /notifications/threads/:id/subscription
DELETE /notifications/threads/:id/subscription
GET /repos/:owner/:repo/stargazers
GET /users/:user/starred
GET /user/starred
GET /user/starred/:owner/:repo
PUT /user/starred/:owner/:repo
DELETE /user/starred/:owner/:repo
GET /repos/:owner/:repo/subscribers
GET /users/:user/subscriptions
GET /user/subscriptions
GET /repos/:owner/:repo/subscription
PUT /repos/:owner/:repo/subscription
DELETE /repos/:owner/:repo/subscription
GET /user/subscriptions/:owner/:repo
PUT /user/subscriptions/:owner/:repo
DELETE /user/subscriptions/:owner/:repo
GET /users/:user/gists
GET /gists
GET /gists/:id
POST /gists
PUT /gists/:id/star
DELETE /gists/:id/star
GET /gists/:id/star
POST /gists/:id/forks
DELETE /gists/:id
GET /repos/:owner/:repo/git/blobs/:sha
POST /repos/:owner/:repo/git/blobs
GET /repos/:owner/:repo/git/commits/:sha
POST /repos/:owner/:repo/git/commits
GET /repos/:owner/:repo/git/refs
POST /repos/:owner/:repo/git/refs
GET /repos/:owner/:repo/git/tags/:sha
POST /repos/:owner/:repo/git/tags
GET /repos/:owner/:repo/git/trees/:sha
POST /repos/:owner/:repo/git/trees
GET /issues
GET /user/issues
GET /orgs/:org/issues
GET /repos/:owner/:repo/issues
GET /repos/:owner/:repo/issues/:number
POST /repos/:owner/:repo/issues
GET /repos/:owner/:repo/assignees
GET /repos/:owner/:repo/assignees/:assignee
GET /repos/:owner/:repo/issues/:number/comments
POST /repos/:owner/:repo/issues/:number/comments
GET /repos/:owner/:repo/issues/:number/events
GET /repos/:owner/:repo/labels
GET /repos/:owner/:repo/labels/:name
POST /repos/:owner/:repo/labels
DELETE /repos/:owner/:repo/labels/:name
GET /repos/:owner/:repo/issues/:number/labels
POST /repos/:owner/:repo/issues/:number/labels
DELETE /repos/:owner/:repo/issues/:number/labels/:name
PUT /repos/:owner/:repo/issues/:number/labels
DELETE /repos/:owner/:repo/issues/:number/labels
GET /repos/:owner/:repo/milestones/:number/labels
GET /repos/:owner/:repo/milestones
GET /repos/:owner/:repo/milestones/:number
POST /repos/:owner/:repo/milestones
DELETE /repos/:owner/:repo/milestones/:number
GET /emojis
GET /gitignore/templates
GET /gitignore/templates/:name
POST /markdown
POST /markdown/raw
GET /meta
GET /rate_limit
GET /users/:user/orgs
GET /user/orgs
GET /orgs/:org
GET /orgs/:org/members
GET /orgs/:org/members/:user
DELETE /orgs/:org/members/:user
GET /orgs/:org/public_members
GET /orgs/:org/public_members/:user
PUT /orgs/:org/public_members/:user
DELETE /orgs/:org/public_members/:user
GET /orgs/:org/teams
GET /teams/:id
POST /orgs/:org/teams
DELETE /teams/:id
GET /teams/:id/members
GET /teams/:id/members/:user
PUT /teams/:id/members/:user
DELETE /teams/:id/members/:user
GET /teams/:id/repos
GET /teams/:id/repos/:owner/:repo
PUT /teams/:id/repos/:owner/:repo
DELETE /teams/:id/repos/:owner/:repo
GET /user/teams
GET /repos/:owner/:repo/pulls
GET /repos/:owner/:repo/pulls/:number
POST /repos/:owner/:repo/pulls
GET /repos/:owner/:repo/pulls/:number/commits
GET /repos/:owner/:repo/pulls/:number/files
GET /repos/:owner/:repo/pulls/:number/merge
PUT /repos/:owner/:repo/pulls/:number/merge
GET /repos/:owner/:repo/pulls/:number/comments
PUT /repos/:owner/:repo/pulls/:number/comments
GET /user/repos
GET /users/:user/repos
GET /orgs/:org/repos
GET /repositories
POST /user/repos
POST /orgs/:org/repos
GET /repos/:owner/:repo
GET /repos/:owner/:repo/contributors
GET /repos/:owner/:repo/languages
GET /repos/:owner/:repo/teams
GET /repos/:owner/:repo/tags
GET /repos/:owner/:repo/branches
GET /repos/:owner/:repo/branches/:branch
DELETE /repos/:owner/:repo
GET /repos/:owner/:repo/collaborators
GET /repos/:owner/:repo/collaborators/:user
PUT /repos/:owner/:repo/collaborators/:user
DELETE /repos/:owner/:repo/collaborators/:user
GET /repos/:owner/:repo/comments
GET /repos/:owner/:repo/commits/:sha/comments
POST /repos/:owner/:repo/commits/:sha/comments
GET /repos/:owner/:repo/comments/:id
DELETE /repos/:owner/:repo/comments/:id
GET /repos/:owner/:repo/commits
GET /repos/:owner/:repo/commits/:sha
GET /repos/:owner/:repo/readme
GET /repos/:owner/:repo/keys
GET /repos/:owner/:repo/keys/:id
POST /repos/:owner/:repo/keys
DELETE /repos/:owner/:repo/keys/:id
GET /repos/:owner/:repo/downloads
GET /repos/:owner/:repo/downloads/:id
DELETE /repos/:owner/:repo/downloads/:id
GET /repos/:owner/:repo/forks
POST /repos/:owner/:repo/forks
GET /repos/:owner/:repo/hooks
GET /repos/:owner/:repo/hooks/:id
POST /repos/:owner/:repo/hooks
POST /repos/:owner/:repo/hooks/:id/tests
DELETE /repos/:owner/:repo/hooks/:id
POST /repos/:owner/:repo/merges
GET /repos/:owner/:repo/releases
GET /repos/:owner/:repo/releases/:id
POST /repos/:owner/:repo/releases
DELETE /repos/:owner/:repo/releases/:id
GET /repos/:owner/:repo/releases/:id/assets
GET /repos/:owner/:repo/stats/contributors
GET /repos/:owner/:repo/stats/commit_activity
GET /repos/:owner/:repo/stats/code_frequency
GET /repos/:owner/:repo/stats/participation
GET /repos/:owner/:repo/stats/punch_card
GET /repos/:owner/:repo/statuses/:ref
POST /repos/:owner/:repo/statuses/:ref
GET /search/repositories
GET /search/code
GET /search/issues
GET /search/users
GET /legacy/issues/search/:owner/:repository/:state/:keyword
GET /legacy/repos/search/:keyword
GET /legacy/user/search/:keyword
GET /legacy/user/email/:email
GET /users/:user
GET /user
GET /users
GET /user/emails
POST /user/emails
DELETE /user/emails
GET /users/:user/followers
GET /user/followers
GET /users/:user/following
GET /user/following
GET /user/following/:user
GET /users/:user/following/:target_user
PUT /user/following/:user
DELETE /user/following/:user
GET /users/:user/keys
GET /user/keys
GET /user/keys/:id
POST /user/keys
DELETE /user/keys/:id
`
