// Command echo5 is a small Echo v5 API whose every error comes out as an RFC
// 9457 problem: handler errors, validation failures, binding errors, Echo's
// router, its body limit, its rate limiter and recovered panics.
//
//	go run ./examples/echo5           # listens on localhost:8080
//	go run ./examples/echo5 -addr 127.0.0.1:9000
//	PORT=9000 go run ./examples/echo5
//
// It prints a curl command for each behaviour when it starts.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v5"
	echomw "github.com/labstack/echo/v5/middleware"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho5"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// errNoUser is the store's sentinel; a mapper makes it a 404.
var errNoUser = errors.New("store: no such user")

// emailTaken is a problem type of this API, documented at its URI.
var emailTaken = problem.Type{
	URI:    "https://example.com/probs/email-taken",
	Title:  "The email address is already registered.",
	Status: http.StatusConflict,
}

type user struct {
	ID    int    `json:"id"`
	Name  string `json:"name" validate:"required,min=2,max=40"`
	Email string `json:"email" validate:"required,email"`
	Age   int    `json:"age" validate:"gte=18,lte=130"`
	Role  string `json:"role" validate:"oneof=reader writer admin"`
}

type store struct {
	mu    sync.Mutex
	users map[int]user
	next  int
}

func (s *store) get(id int) (user, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return user{}, fmt.Errorf("get user %d: %w", id, errNoUser)
	}
	return u, nil
}

func (s *store) add(u user) (user, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, other := range s.users {
		if strings.EqualFold(other.Email, u.Email) {
			return user{}, emailTaken.Newf("%s belongs to user %d", u.Email, other.ID).WithExtension("user", other.ID)
		}
	}
	s.next++
	u.ID = s.next
	s.users[u.ID] = u
	return u, nil
}

func main() {
	addr := flag.String("addr", defaultAddr(), "address to listen on")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	e := newServer(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	fmt.Print(usage("http://" + ln.Addr().String()))
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.Serve(ln))
}

func defaultAddr() string {
	if port := os.Getenv("PORT"); port != "" {
		return "localhost:" + port
	}
	return "localhost:8080"
}

// newServer builds the demo API.
func newServer(logger *slog.Logger) *echo.Echo {
	db := &store{users: map[int]user{1: {ID: 1, Name: "Ada", Email: "ada@example.com", Age: 36, Role: "admin"}}, next: 1}

	e := echo.New()
	e.HTTPErrorHandler = problemecho5.ErrorHandler(&middleware.Options{
		Logger:  logger,
		Mappers: []problem.Mapper{problem.MapIs(errNoUser, problem.Type{Status: http.StatusNotFound})},
	})
	e.Validator = problemvalidator.New(nil)
	e.Use(echomw.RecoverWithConfig(echomw.RecoverConfig{DisablePrintStack: true}))

	e.GET("/users/:id", func(c *echo.Context) error {
		id, err := echo.PathParam[int](c, "id")
		if err != nil {
			return err // a binding error: 400 naming the parameter
		}
		u, err := db.get(id)
		if err != nil {
			return err // a 404 through the mapper
		}
		return c.JSON(http.StatusOK, u)
	})
	e.POST("/users", func(c *echo.Context) error {
		var u user
		if err := c.Bind(&u); err != nil {
			return err // 400 for broken JSON, 413 past the body limit
		}
		if err := c.Validate(&u); err != nil {
			return err // 422 with an errors array of JSON Pointers
		}
		u, err := db.add(u)
		if err != nil {
			return err // 409, a problem type of this API
		}
		return c.JSON(http.StatusCreated, u)
	}, echomw.BodyLimit(1024))
	e.GET("/limited", func(c *echo.Context) error {
		return c.String(http.StatusOK, "ok\n")
	}, echomw.RateLimiterWithConfig(echomw.RateLimiterConfig{
		Store: echomw.NewRateLimiterMemoryStoreWithConfig(echomw.RateLimiterMemoryStoreConfig{Rate: 0.1, Burst: 1}),
		DenyHandler: func(c *echo.Context, id string, err error) error {
			return problem.New(http.StatusTooManyRequests, "one request every ten seconds, please").WithRetryAfter(10 * time.Second)
		},
	}))
	e.GET("/panic", func(c *echo.Context) error {
		panic("something broke: the secret is hunter2")
	})
	return e
}

// usage is what the demo prints when it starts: a curl command for each
// behaviour, with the statuses it answers in order after the "#".
func usage(base string) string {
	return fmt.Sprintf(`problemkit Echo v5 demo on %[1]s. Try:

  curl -i %[1]s/users/1                     # 200
  curl -i %[1]s/users/9                     # 404 from a mapped sentinel error
  curl -i %[1]s/nope                        # 404 from Echo's router
  curl -i -X DELETE %[1]s/users/1           # 405 from Echo's router, Allow kept
  curl -i %[1]s/users/abc                   # 400 binding error naming the parameter
  curl -i -X POST %[1]s/users -H 'Content-Type: application/json' -d '{"name":"A","email":"nope","age":7,"role":"boss"}'   # 422 with pointers
  curl -i -X POST %[1]s/users -H 'Content-Type: application/json' -d '{"name":"Ada","email":"ada@example.com","age":36,"role":"reader"}'   # 409 problem type
  curl -i -X POST %[1]s/users -H 'Content-Type: application/json' -d '{"age":"old"}'   # 400 type error naming the field
  curl -i -X POST %[1]s/users -H 'Content-Type: application/json' -d '{"name":"%[2]s"}'   # 413 from BodyLimit
  curl -i %[1]s/limited; curl -i %[1]s/limited   # 200, then 429 with Retry-After
  curl -i %[1]s/panic                       # 500, nothing leaked
  curl -i -H 'Accept: application/xml' %[1]s/users/9   # 404, the same problem in XML

`, base, strings.Repeat("a", 1100))
}
